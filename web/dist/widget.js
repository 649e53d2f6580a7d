/* TEA chat widget. Built from web/src by 'npm run build'; bundles socket.io-client (MIT). */
(()=>{var Ue=Object.defineProperty;var Fe=(n,t)=>{for(var e in t)Ue(n,e,{get:t[e],enumerable:!0})};var w=Object.create(null);w.open="0";w.close="1";w.ping="2";w.pong="3";w.message="4";w.upgrade="5";w.noop="6";var F=Object.create(null);Object.keys(w).forEach(n=>{F[w[n]]=n});var V={type:"error",data:"parser error"};var Mt=typeof Blob=="function"||typeof Blob!="undefined"&&Object.prototype.toString.call(Blob)==="[object BlobConstructor]",Ht=typeof ArrayBuffer=="function",Wt=n=>typeof ArrayBuffer.isView=="function"?ArrayBuffer.isView(n):n&&n.buffer instanceof ArrayBuffer,M=({type:n,data:t},e,s)=>Mt&&t instanceof Blob?e?s(t):Ft(t,s):Ht&&(t instanceof ArrayBuffer||Wt(t))?e?s(t):Ft(new Blob([t]),s):s(w[n]+(t||"")),Ft=(n,t)=>{let e=new FileReader;return e.onload=function(){let s=e.result.split(",")[1];t("b"+(s||""))},e.readAsDataURL(n)};function Vt(n){return n instanceof Uint8Array?n:n instanceof ArrayBuffer?new Uint8Array(n):new Uint8Array(n.buffer,n.byteOffset,n.byteLength)}var ft;function zt(n,t){if(Mt&&n.data instanceof Blob)return n.data.arrayBuffer().then(Vt).then(t);if(Ht&&(n.data instanceof ArrayBuffer||Wt(n.data)))return t(Vt(n.data));M(n,!1,e=>{ft||(ft=new TextEncoder),t(ft.encode(e))})}var Kt="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",H=typeof Uint8Array=="undefined"?[]:new Uint8Array(256);for(let n=0;n<Kt.length;n++)H[Kt.charCodeAt(n)]=n;var Yt=n=>{let t=n.length*.75,e=n.length,s,r=0,i,a,h,f;n[n.length-1]==="="&&(t--,n[n.length-2]==="="&&t--);let _=new ArrayBuffer(t),m=new Uint8Array(_);for(s=0;s<e;s+=4)i=H[n.charCodeAt(s)],a=H[n.charCodeAt(s+1)],h=H[n.charCodeAt(s+2)],f=H[n.charCodeAt(s+3)],m[r++]=i<<2|a>>4,m[r++]=(a&15)<<4|h>>2,m[r++]=(h&3)<<6|f&63;return _};var Ve=typeof ArrayBuffer=="function",W=(n,t)=>{if(typeof n!="string")return{type:"message",data:$t(n,t)};let e=n.charAt(0);return e==="b"?{type:"message",data:Me(n.substring(1),t)}:F[e]?n.length>1?{type:F[e],data:n.substring(1)}:{type:F[e]}:V},Me=(n,t)=>{if(Ve){let e=Yt(n);return $t(e,t)}else return{base64:!0,data:n}},$t=(n,t)=>{switch(t){case"blob":return n instanceof Blob?n:new Blob([n]);case"arraybuffer":default:return n instanceof ArrayBuffer?n:n.buffer}};var Jt="",Xt=(n,t)=>{let e=n.length,s=new Array(e),r=0;n.forEach((i,a)=>{M(i,!1,h=>{s[a]=h,++r===e&&t(s.join(Jt))})})},Qt=(n,t)=>{let e=n.split(Jt),s=[];for(let r=0;r<e.length;r++){let i=W(e[r],t);if(s.push(i),i.type==="error")break}return s};function jt(){return new TransformStream({transform(n,t){zt(n,e=>{let s=e.length,r;if(s<126)r=new Uint8Array(1),new DataView(r.buffer).setUint8(0,s);else if(s<65536){r=new Uint8Array(3);let i=new DataView(r.buffer);i.setUint8(0,126),i.setUint16(1,s)}else{r=new Uint8Array(9);let i=new DataView(r.buffer);i.setUint8(0,127),i.setBigUint64(1,BigInt(s))}n.data&&typeof n.data!="string"&&(r[0]|=128),t.enqueue(r),t.enqueue(e)})}})}var pt;function Z(n){return n.reduce((t,e)=>t+e.length,0)}function tt(n,t){if(n[0].length===t)return n.shift();let e=new Uint8Array(t),s=0;for(let r=0;r<t;r++)e[r]=n[0][s++],s===n[0].length&&(n.shift(),s=0);return n.length&&s<n[0].length&&(n[0]=n[0].slice(s)),e}function Gt(n,t){pt||(pt=new TextDecoder);let e=[],s=0,r=-1,i=!1;return new TransformStream({transform(a,h){for(e.push(a);;){if(s===0){if(Z(e)<1)break;let f=tt(e,1);i=(f[0]&128)===128,r=f[0]&127,r<126?s=3:r===126?s=1:s=2}else if(s===1){if(Z(e)<2)break;let f=tt(e,2);r=new DataView(f.buffer,f.byteOffset,f.length).getUint16(0),s=3}else if(s===2){if(Z(e)<8)break;let f=tt(e,8),_=new DataView(f.buffer,f.byteOffset,f.length),m=_.getUint32(0);if(m>Math.pow(2,21)-1){h.enqueue(V);break}r=m*Math.pow(2,32)+_.getUint32(4),s=3}else{if(Z(e)<r)break;let f=tt(e,r);h.enqueue(W(i?f:pt.decode(f),t)),s=0}if(r===0||r>n){h.enqueue(V);break}}}})}var dt=4;function p(n){if(n)return He(n)}function He(n){for(var t in p.prototype)n[t]=p.prototype[t];return n}p.prototype.on=p.prototype.addEventListener=function(n,t){return this._callbacks=this._callbacks||{},(this._callbacks["$"+n]=this._callbacks["$"+n]||[]).push(t),this};p.prototype.once=function(n,t){function e(){this.off(n,e),t.apply(this,arguments)}return e.fn=t,this.on(n,e),this};p.prototype.off=p.prototype.removeListener=p.prototype.removeAllListeners=p.prototype.removeEventListener=function(n,t){if(this._callbacks=this._callbacks||{},arguments.length==0)return this._callbacks={},this;var e=this._callbacks["$"+n];if(!e)return this;if(arguments.length==1)return delete this._callbacks["$"+n],this;for(var s,r=0;r<e.length;r++)if(s=e[r],s===t||s.fn===t){e.splice(r,1);break}return e.length===0&&delete this._callbacks["$"+n],this};p.prototype.emit=function(n){this._callbacks=this._callbacks||{};for(var t=new Array(arguments.length-1),e=this._callbacks["$"+n],s=1;s<arguments.length;s++)t[s-1]=arguments[s];if(e){e=e.slice(0);for(var s=0,r=e.length;s<r;++s)e[s].apply(this,t)}return this};p.prototype.emitReserved=p.prototype.emit;p.prototype.listeners=function(n){return this._callbacks=this._callbacks||{},this._callbacks["$"+n]||[]};p.prototype.hasListeners=function(n){return!!this.listeners(n).length};var v=typeof Promise=="function"&&typeof Promise.resolve=="function"?t=>Promise.resolve().then(t):(t,e)=>e(t,0),y=typeof self!="undefined"?self:typeof window!="undefined"?window:Function("return this")(),Zt="arraybuffer";function et(n,...t){return t.reduce((e,s)=>(n.hasOwnProperty(s)&&(e[s]=n[s]),e),{})}var We=y.setTimeout,ze=y.clearTimeout;function k(n,t){t.useNativeTimers?(n.setTimeoutFn=We.bind(y),n.clearTimeoutFn=ze.bind(y)):(n.setTimeoutFn=y.setTimeout.bind(y),n.clearTimeoutFn=y.clearTimeout.bind(y))}var Ke=1.33;function te(n){return typeof n=="string"?Ye(n):Math.ceil((n.byteLength||n.size)*Ke)}function Ye(n){let t=0,e=0;for(let s=0,r=n.length;s<r;s++)t=n.charCodeAt(s),t<128?e+=1:t<2048?e+=2:t<55296||t>=57344?e+=3:(s++,e+=4);return e}function nt(){return Date.now().toString(36).substring(3)+Math.random().toString(36).substring(2,5)}function ee(n){let t="";for(let e in n)n.hasOwnProperty(e)&&(t.length&&(t+="&"),t+=encodeURIComponent(e)+"="+encodeURIComponent(n[e]));return t}function ne(n){let t={},e=n.split("&");for(let s=0,r=e.length;s<r;s++){let i=e[s].split("=");t[decodeURIComponent(i[0])]=decodeURIComponent(i.slice(1).join("="))}return t}var st=class extends Error{constructor(t,e,s){super(t),this.description=e,this.context=s,this.type="TransportError"}},E=class extends p{constructor(t){super(),this.writable=!1,k(this,t),this.opts=t,this.query=t.query,this.socket=t.socket,this.supportsBinary=!t.forceBase64}onError(t,e,s){return super.emitReserved("error",new st(t,e,s)),this}open(){return this.readyState="opening",this.doOpen(),this}close(){return(this.readyState==="opening"||this.readyState==="open")&&(this.doClose(),this.onClose()),this}send(t){this.readyState==="open"&&this.write(t)}onOpen(){this.readyState="open",this.writable=!0,super.emitReserved("open")}onData(t){let e=W(t,this.socket.binaryType);this.onPacket(e)}onPacket(t){super.emitReserved("packet",t)}onClose(t){this.readyState="closed",super.emitReserved("close",t)}pause(t){}createUri(t,e={}){return t+"://"+this._hostname()+this._port()+this.opts.path+this._query(e)}_hostname(){let t=this.opts.hostname;return t.indexOf(":")===-1?t:"["+t+"]"}_port(){return this.opts.port&&(this.opts.secure&&Number(this.opts.port)!==443||!this.opts.secure&&Number(this.opts.port)!==80)?":"+this.opts.port:""}_query(t){let e=ee(t);return e.length?"?"+e:""}};var z=class extends E{constructor(){super(...arguments),this._polling=!1}get name(){return"polling"}doOpen(){this._poll()}pause(t){this.readyState="pausing";let e=()=>{this.readyState="paused",t()};if(this._polling||!this.writable){let s=0;this._polling&&(s++,this.once("pollComplete",function(){--s||e()})),this.writable||(s++,this.once("drain",function(){--s||e()}))}else e()}_poll(){this._polling=!0,this.doPoll(),this.emitReserved("poll")}onData(t){let e=s=>{if(this.readyState==="opening"&&s.type==="open"&&this.onOpen(),s.type==="close")return this.onClose({description:"transport closed by the server"}),!1;this.onPacket(s)};Qt(t,this.socket.binaryType).forEach(e),this.readyState!=="closed"&&(this._polling=!1,this.emitReserved("pollComplete"),this.readyState==="open"&&this._poll())}doClose(){let t=()=>{this.write([{type:"close"}])};this.readyState==="open"?t():this.once("open",t)}write(t){this.writable=!1,Xt(t,e=>{this.doWrite(e,()=>{this.writable=!0,this.emitReserved("drain")})})}uri(){let t=this.opts.secure?"https":"http",e=this.query||{};return this.opts.timestampRequests!==!1&&(e[this.opts.timestampParam]=nt()),!this.supportsBinary&&!e.sid&&(e.b64=1),this.createUri(t,e)}};var se=!1;try{se=typeof XMLHttpRequest!="undefined"&&"withCredentials"in new XMLHttpRequest}catch{}var re=se;function $e(){}var mt=class extends z{constructor(t){if(super(t),typeof location!="undefined"){let e=location.protocol==="https:",s=location.port;s||(s=e?"443":"80"),this.xd=typeof location!="undefined"&&t.hostname!==location.hostname||s!==t.port}}doWrite(t,e){let s=this.request({method:"POST",data:t});s.on("success",e),s.on("error",(r,i)=>{this.onError("xhr post error",r,i)})}doPoll(){let t=this.request();t.on("data",this.onData.bind(this)),t.on("error",(e,s)=>{this.onError("xhr poll error",e,s)}),this.pollXhr=t}},T=class n extends p{constructor(t,e,s){super(),this.createRequest=t,k(this,s),this._opts=s,this._method=s.method||"GET",this._uri=e,this._data=s.data!==void 0?s.data:null,this._create()}_create(){var t;let e=et(this._opts,"agent","pfx","key","passphrase","cert","ca","ciphers","rejectUnauthorized","autoUnref");e.xdomain=!!this._opts.xd;let s=this._xhr=this.createRequest(e);try{s.open(this._method,this._uri,!0);try{if(this._opts.extraHeaders){s.setDisableHeaderCheck&&s.setDisableHeaderCheck(!0);for(let r in this._opts.extraHeaders)this._opts.extraHeaders.hasOwnProperty(r)&&s.setRequestHeader(r,this._opts.extraHeaders[r])}}catch{}if(this._method==="POST")try{s.setRequestHeader("Content-type","text/plain;charset=UTF-8")}catch{}try{s.setRequestHeader("Accept","*/*")}catch{}(t=this._opts.cookieJar)===null||t===void 0||t.addCookies(s),"withCredentials"in s&&(s.withCredentials=this._opts.withCredentials),this._opts.requestTimeout&&(s.timeout=this._opts.requestTimeout),s.onreadystatechange=()=>{var r;s.readyState===3&&((r=this._opts.cookieJar)===null||r===void 0||r.parseCookies(s.getResponseHeader("set-cookie"))),s.readyState===4&&(s.status===200||s.status===1223?this._onLoad():this.setTimeoutFn(()=>{this._onError(typeof s.status=="number"?s.status:0)},0))},s.send(this._data)}catch(r){this.setTimeoutFn(()=>{this._onError(r)},0);return}typeof document!="undefined"&&(this._index=n.requestsCount++,n.requests[this._index]=this)}_onError(t){this.emitReserved("error",t,this._xhr),this._cleanup(!0)}_cleanup(t){if(!(typeof this._xhr=="undefined"||this._xhr===null)){if(this._xhr.onreadystatechange=$e,t)try{this._xhr.abort()}catch{}typeof document!="undefined"&&delete n.requests[this._index],this._xhr=null}}_onLoad(){let t=this._xhr.responseText;t!==null&&(this.emitReserved("data",t),this.emitReserved("success"),this._cleanup())}abort(){this._cleanup()}};T.requestsCount=0;T.requests={};if(typeof document!="undefined"){if(typeof attachEvent=="function")attachEvent("onunload",ie);else if(typeof addEventListener=="function"){let n="onpagehide"in y?"pagehide":"unload";addEventListener(n,ie,!1)}}function ie(){for(let n in T.requests)T.requests.hasOwnProperty(n)&&T.requests[n].abort()}var Je=function(){let n=oe({xdomain:!1});return n&&n.responseType!==null}(),A=class extends mt{constructor(t){super(t);let e=t&&t.forceBase64;this.supportsBinary=Je&&!e}request(t={}){return Object.assign(t,{xd:this.xd},this.opts),new T(oe,this.uri(),t)}};function oe(n){let t=n.xdomain;try{if(typeof XMLHttpRequest!="undefined"&&(!t||re))return new XMLHttpRequest}catch{}if(!t)try{return new y[["Active"].concat("Object").join("X")]("Microsoft.XMLHTTP")}catch{}}var ae=typeof navigator!="undefined"&&typeof navigator.product=="string"&&navigator.product.toLowerCase()==="reactnative",yt=class extends E{get name(){return"websocket"}doOpen(){let t=this.uri(),e=this.opts.protocols,s=ae?{}:et(this.opts,"agent","perMessageDeflate","pfx","key","passphrase","cert","ca","ciphers","rejectUnauthorized","localAddress","protocolVersion","origin","maxPayload","family","checkServerIdentity");this.opts.extraHeaders&&(s.headers=this.opts.extraHeaders);try{this.ws=this.createSocket(t,e,s)}catch(r){return this.emitReserved("error",r)}this.ws.binaryType=this.socket.binaryType,this.addEventListeners()}addEventListeners(){this.ws.onopen=()=>{this.opts.autoUnref&&this.ws._socket.unref(),this.onOpen()},this.ws.onclose=t=>this.onClose({description:"websocket connection closed",context:t}),this.ws.onmessage=t=>this.onData(t.data),this.ws.onerror=t=>this.onError("websocket error",t)}write(t){this.writable=!1;for(let e=0;e<t.length;e++){let s=t[e],r=e===t.length-1;M(s,this.supportsBinary,i=>{try{this.doWrite(s,i)}catch{}r&&v(()=>{this.writable=!0,this.emitReserved("drain")},this.setTimeoutFn)})}}doClose(){typeof this.ws!="undefined"&&(this.ws.onerror=()=>{},this.ws.close(),this.ws=null)}uri(){let t=this.opts.secure?"wss":"ws",e=this.query||{};return this.opts.timestampRequests&&(e[this.opts.timestampParam]=nt()),this.supportsBinary||(e.b64=1),this.createUri(t,e)}},gt=y.WebSocket||y.MozWebSocket,S=class extends yt{createSocket(t,e,s){return ae?new gt(t,e,s):e?new gt(t,e):new gt(t)}doWrite(t,e){this.ws.send(e)}};var B=class extends E{get name(){return"webtransport"}doOpen(){try{this._transport=new WebTransport(this.createUri("https"),this.opts.transportOptions[this.name])}catch(t){return this.emitReserved("error",t)}this._transport.closed.then(()=>{this.onClose()}).catch(t=>{this.onError("webtransport error",t)}),this._transport.ready.then(()=>{this._transport.createBidirectionalStream().then(t=>{let e=Gt(Number.MAX_SAFE_INTEGER,this.socket.binaryType),s=t.readable.pipeThrough(e).getReader(),r=jt();r.readable.pipeTo(t.writable),this._writer=r.writable.getWriter();let i=()=>{s.read().then(({done:h,value:f})=>{h||(this.onPacket(f),i())}).catch(h=>{})};i();let a={type:"open"};this.query.sid&&(a.data=`{"sid":"${this.query.sid}"}`),this._writer.write(a).then(()=>this.onOpen())})})}write(t){this.writable=!1;for(let e=0;e<t.length;e++){let s=t[e],r=e===t.length-1;this._writer.write(s).then(()=>{r&&v(()=>{this.writable=!0,this.emitReserved("drain")},this.setTimeoutFn)})}}doClose(){var t;(t=this._transport)===null||t===void 0||t.close()}};var bt={websocket:S,webtransport:B,polling:A};var Xe=/^(?:(?![^:@\/?#]+:[^:@\/]*@)(http|https|ws|wss):\/\/)?((?:(([^:@\/?#]*)(?::([^:@\/?#]*))?)?@)?((?:[a-f0-9]{0,4}:){2,7}[a-f0-9]{0,4}|[^:\/?#]*)(?::(\d*))?)(((\/(?:[^?#](?![^?#\/]*\.[^?#\/.]+(?:[?#]|$)))*\/?)?([^?#\/]*))(?:\?([^#]*))?(?:#(.*))?)/,Qe=["source","protocol","authority","userInfo","user","password","host","port","relative","path","directory","file","query","anchor"];function L(n){if(n.length>8e3)throw"URI too long";let t=n,e=n.indexOf("["),s=n.indexOf("]");e!=-1&&s!=-1&&(n=n.substring(0,e)+n.substring(e,s).replace(/:/g,";")+n.substring(s,n.length));let r=Xe.exec(n||""),i={},a=14;for(;a--;)i[Qe[a]]=r[a]||"";return e!=-1&&s!=-1&&(i.source=t,i.host=i.host.substring(1,i.host.length-1).replace(/;/g,":"),i.authority=i.authority.replace("[","").replace("]","").replace(/;/g,":"),i.ipv6uri=!0),i.pathNames=je(i,i.path),i.queryKey=Ge(i,i.query),i}function je(n,t){let e=/\/{2,9}/g,s=t.replace(e,"/").split("/");return(t.slice(0,1)=="/"||t.length===0)&&s.splice(0,1),t.slice(-1)=="/"&&s.splice(s.length-1,1),s}function Ge(n,t){let e={};return t.replace(/(?:^|&)([^&=]*)=?([^&]*)/g,function(s,r,i){r&&(e[r]=i)}),e}var _t=typeof addEventListener=="function"&&typeof removeEventListener=="function",rt=[];_t&&addEventListener("offline",()=>{rt.forEach(n=>n())},!1);var R=class n extends p{constructor(t,e={}){var s,r;if(super(),this.binaryType=Zt,this.writeBuffer=[],this._prevBufferLen=0,this._upgrades=[],this._pingInterval=-1,this._pingTimeout=-1,this._maxPayload=-1,this._pingTimeoutTime=1/0,t&&typeof t=="object"&&(e=t,t=null),t){let i=L(t);e.hostname=i.host,e.secure=i.protocol==="https"||i.protocol==="wss",e.port=i.port,i.query&&(e.query=i.query)}else e.host&&(e.hostname=L(e.host).host);if(k(this,e),this.secure=e.secure!=null?e.secure:typeof location!="undefined"&&location.protocol==="https:",e.hostname&&!e.port&&(e.port=this.secure?"443":"80"),this.hostname=e.hostname||(typeof location!="undefined"?location.hostname:"localhost"),this.port=e.port||(typeof location!="undefined"&&location.port?location.port:this.secure?"443":"80"),e.transportImplementations&&e.transports)throw new Error("specifying both 'transportImplementations' and 'transports' options is not supported");e.transportImplementations||!((s=e.transports)===null||s===void 0)&&s.length&&typeof e.transports[0]=="function"?(this.transports=[],this._transportsByName=Object.create(null),((r=e.transportImplementations)!==null&&r!==void 0?r:e.transports).forEach(i=>{let a=i.prototype.name;this.transports.push(a),this._transportsByName[a]=i})):(this.transports=e.transports?[...e.transports]:["polling","websocket","webtransport"],this._transportsByName=bt),this.opts=Object.assign({path:"/engine.io",agent:!1,withCredentials:!1,upgrade:!0,timestampParam:"t",rememberUpgrade:!1,addTrailingSlash:!0,rejectUnauthorized:!0,perMessageDeflate:{threshold:1024},transportOptions:{},closeOnBeforeunload:!1},e),this.opts.path=this.opts.path.replace(/\/$/,"")+(this.opts.addTrailingSlash?"/":""),typeof this.opts.query=="string"&&(this.opts.query=ne(this.opts.query)),_t&&(this.opts.closeOnBeforeunload&&(this._beforeunloadEventListener=()=>{this.transport&&(this.transport.removeAllListeners(),this.transport.close())},addEventListener("beforeunload",this._beforeunloadEventListener,!1)),this.hostname!=="localhost"&&(this._offlineEventListener=()=>{this._onClose("transport close",{description:"network connection lost"})},rt.push(this._offlineEventListener))),this.opts.withCredentials&&(this._cookieJar=void 0),this._open()}createTransport(t){let e=Object.assign({},this.opts.query);e.EIO=dt,e.transport=t,this.id&&(e.sid=this.id);let s=Object.assign({},this.opts,{query:e,socket:this,hostname:this.hostname,secure:this.secure,port:this.port},this.opts.transportOptions[t]);return new this._transportsByName[t](s)}_open(){if(this.transports.length===0){this.setTimeoutFn(()=>{this.emitReserved("error","No transports available")},0);return}let t=this.opts.rememberUpgrade&&n.priorWebsocketSuccess&&this.transports.indexOf("websocket")!==-1?"websocket":this.transports[0];this.readyState="opening";let e=this.createTransport(t);e.open(),this.setTransport(e)}setTransport(t){this.transport&&this.transport.removeAllListeners(),this.transport=t,t.on("drain",this._onDrain.bind(this)).on("packet",this._onPacket.bind(this)).on("error",this._onError.bind(this)).on("close",e=>this._onClose("transport close",e))}_probe(t){let e=this.createTransport(t),s=!1;n.priorWebsocketSuccess=!1;let r=()=>{s||(e.send([{type:"ping",data:"probe"}]),e.once("packet",x=>{if(!s)if(x.type==="pong"&&x.data==="probe"){if(this.upgrading=!0,this.emitReserved("upgrading",e),!e)return;n.priorWebsocketSuccess=e.name==="websocket",this.transport.pause(()=>{s||this.readyState!=="closed"&&(m(),this.setTransport(e),e.send([{type:"upgrade"}]),this.emitReserved("upgrade",e),e=null,this.upgrading=!1,this.flush())})}else{let g=new Error("probe error");g.transport=e.name,this.emitReserved("upgradeError",g)}}))};function i(){s||(s=!0,m(),e.close(),e=null)}let a=x=>{let g=new Error("probe error: "+x);g.transport=e.name,i(),this.emitReserved("upgradeError",g)};function h(){a("transport closed")}function f(){a("socket closed")}function _(x){e&&x.name!==e.name&&i()}let m=()=>{e.removeListener("open",r),e.removeListener("error",a),e.removeListener("close",h),this.off("close",f),this.off("upgrading",_)};e.once("open",r),e.once("error",a),e.once("close",h),this.once("close",f),this.once("upgrading",_),this._upgrades.indexOf("webtransport")!==-1&&t!=="webtransport"?this.setTimeoutFn(()=>{s||e.open()},200):e.open()}onOpen(){if(this.readyState="open",n.priorWebsocketSuccess=this.transport.name==="websocket",this.emitReserved("open"),this.flush(),this.readyState==="open"&&this.opts.upgrade)for(let t=0;t<this._upgrades.length;t++)this._probe(this._upgrades[t])}_onPacket(t){if(this.readyState==="opening"||this.readyState==="open"||this.readyState==="closing")switch(this.emitReserved("packet",t),this.emitReserved("heartbeat"),t.type){case"open":this.onHandshake(JSON.parse(t.data));break;case"ping":this._sendPacket("pong"),this.emitReserved("ping"),this.emitReserved("pong"),this._resetPingTimeout();break;case"error":let e=new Error("server error");e.code=t.data,this._onError(e);break;case"message":this.emitReserved("data",t.data),this.emitReserved("message",t.data);break}}onHandshake(t){this.emitReserved("handshake",t),this.id=t.sid,this.transport.query.sid=t.sid,this._upgrades=this._filterUpgrades(t.upgrades),this._pingInterval=t.pingInterval,this._pingTimeout=t.pingTimeout,this._maxPayload=t.maxPayload,this.onOpen(),this.readyState!=="closed"&&this._resetPingTimeout()}_resetPingTimeout(){this.clearTimeoutFn(this._pingTimeoutTimer);let t=this._pingInterval+this._pingTimeout;this._pingTimeoutTime=Date.now()+t,this._pingTimeoutTimer=this.setTimeoutFn(()=>{this._onClose("ping timeout")},t),this.opts.autoUnref&&this._pingTimeoutTimer.unref()}_onDrain(){this.writeBuffer.splice(0,this._prevBufferLen),this._prevBufferLen=0,this.writeBuffer.length===0?this.emitReserved("drain"):this.flush()}flush(){if(this.readyState!=="closed"&&this.transport.writable&&!this.upgrading&&this.writeBuffer.length){let t=this._getWritablePackets();this.transport.send(t),this._prevBufferLen=t.length,this.emitReserved("flush")}}_getWritablePackets(){if(!(this._maxPayload&&this.transport.name==="polling"&&this.writeBuffer.length>1))return this.writeBuffer;let e=1;for(let s=0;s<this.writeBuffer.length;s++){let r=this.writeBuffer[s].data;if(r&&(e+=te(r)),s>0&&e>this._maxPayload)return this.writeBuffer.slice(0,s);e+=2}return this.writeBuffer}_hasPingExpired(){if(!this._pingTimeoutTime)return!0;let t=Date.now()>this._pingTimeoutTime;return t&&(this._pingTimeoutTime=0,v(()=>{this._onClose("ping timeout")},this.setTimeoutFn)),t}write(t,e,s){return this._sendPacket("message",t,e,s),this}send(t,e,s){return this._sendPacket("message",t,e,s),this}_sendPacket(t,e,s,r){if(typeof e=="function"&&(r=e,e=void 0),typeof s=="function"&&(r=s,s=null),this.readyState==="closing"||this.readyState==="closed")return;s=s||{},s.compress=s.compress!==!1;let i={type:t,data:e,options:s};this.emitReserved("packetCreate",i),this.writeBuffer.push(i),r&&this.once("flush",r),this.flush()}close(){let t=()=>{this._onClose("forced close"),this.transport.close()},e=()=>{this.off("upgrade",e),this.off("upgradeError",e),t()},s=()=>{this.once("upgrade",e),this.once("upgradeError",e)};return(this.readyState==="opening"||this.readyState==="open")&&(this.readyState="closing",this.writeBuffer.length?this.once("drain",()=>{this.upgrading?s():t()}):this.upgrading?s():t()),this}_onError(t){if(n.priorWebsocketSuccess=!1,this.opts.tryAllTransports&&this.transports.length>1&&this.readyState==="opening")return this.transports.shift(),this._open();this.emitReserved("error",t),this._onClose("transport error",t)}_onClose(t,e){if(this.readyState==="opening"||this.readyState==="open"||this.readyState==="closing"){if(this.clearTimeoutFn(this._pingTimeoutTimer),this.transport.removeAllListeners("close"),this.transport.close(),this.transport.removeAllListeners(),_t&&(this._beforeunloadEventListener&&removeEventListener("beforeunload",this._beforeunloadEventListener,!1),this._offlineEventListener)){let s=rt.indexOf(this._offlineEventListener);s!==-1&&rt.splice(s,1)}this.readyState="closed",this.id=null,this.emitReserved("close",t,e),this.writeBuffer=[],this._prevBufferLen=0}}_filterUpgrades(t){let e=[];for(let s=0;s<t.length;s++)~this.transports.indexOf(t[s])&&e.push(t[s]);return e}};R.protocol=dt;var Ls=R.protocol;function ce(n,t="",e){let s=n;e=e||typeof location!="undefined"&&location,n==null&&(n=e.protocol+"//"+e.host),typeof n=="string"&&(n.charAt(0)==="/"&&(n.charAt(1)==="/"?n=e.protocol+n:n=e.host+n),/^(https?|wss?):\/\//.test(n)||(typeof e!="undefined"?n=e.protocol+"//"+n:n="https://"+n),s=L(n)),s.port||(/^(http|ws)$/.test(s.protocol)?s.port="80":/^(http|ws)s$/.test(s.protocol)&&(s.port="443")),s.path=s.path||"/";let i=s.host.indexOf(":")!==-1?"["+s.host+"]":s.host;return s.id=s.protocol+"://"+i+":"+s.port+t,s.href=s.protocol+"://"+i+(e&&e.port===s.port?"":":"+s.port),s}var Et={};Fe(Et,{Decoder:()=>vt,Encoder:()=>wt,PacketType:()=>l,isPacketValid:()=>cn,protocol:()=>pe});var tn=typeof ArrayBuffer=="function",en=n=>typeof ArrayBuffer.isView=="function"?ArrayBuffer.isView(n):n.buffer instanceof ArrayBuffer,he=Object.prototype.toString,nn=typeof Blob=="function"||typeof Blob!="undefined"&&he.call(Blob)==="[object BlobConstructor]",sn=typeof File=="function"||typeof File!="undefined"&&he.call(File)==="[object FileConstructor]";function Y(n){return tn&&(n instanceof ArrayBuffer||en(n))||nn&&n instanceof Blob||sn&&n instanceof File}function K(n,t){if(!n||typeof n!="object")return!1;if(Array.isArray(n)){for(let e=0,s=n.length;e<s;e++)if(K(n[e]))return!0;return!1}if(Y(n))return!0;if(n.toJSON&&typeof n.toJSON=="function"&&arguments.length===1)return K(n.toJSON(),!0);for(let e in n)if(Object.prototype.hasOwnProperty.call(n,e)&&K(n[e]))return!0;return!1}function le(n){let t=[],e=n.data,s=n;return s.data=it(e,t),s.attachments=t.length,{packet:s,buffers:t}}function it(n,t,e){if(!n)return n;if(Y(n)){let s={_placeholder:!0,num:t.length};return t.push(n),s}else if(Array.isArray(n)){let s=new Array(n.length);for(let r=0;r<n.length;r++)s[r]=it(n[r],t);return s}else if(typeof n=="object"&&!(n instanceof Date)){if(n.toJSON&&typeof n.toJSON=="function"&&!e)return it(n.toJSON(),t,!0);let s={};for(let r in n)Object.prototype.hasOwnProperty.call(n,r)&&(s[r]=it(n[r],t));return s}return n}function ue(n,t){return n.data=xt(n.data,t),delete n.attachments,n}function xt(n,t){if(!n)return n;if(n&&n._placeholder===!0){if(typeof n.num=="number"&&n.num>=0&&n.num<t.length)return t[n.num];throw new Error("illegal attachments")}else if(Array.isArray(n))for(let e=0;e<n.length;e++)n[e]=xt(n[e],t);else if(typeof n=="object")for(let e in n)Object.prototype.hasOwnProperty.call(n,e)&&(n[e]=xt(n[e],t));return n}var fe=["connect","connect_error","disconnect","disconnecting","newListener","removeListener"],pe=5,l;(function(n){n[n.CONNECT=0]="CONNECT",n[n.DISCONNECT=1]="DISCONNECT",n[n.EVENT=2]="EVENT",n[n.ACK=3]="ACK",n[n.CONNECT_ERROR=4]="CONNECT_ERROR",n[n.BINARY_EVENT=5]="BINARY_EVENT",n[n.BINARY_ACK=6]="BINARY_ACK"})(l||(l={}));var wt=class{constructor(t){this.replacer=t}encode(t){return(t.type===l.EVENT||t.type===l.ACK)&&K(t)?this.encodeAsBinary({type:t.type===l.EVENT?l.BINARY_EVENT:l.BINARY_ACK,nsp:t.nsp,data:t.data,id:t.id}):[this.encodeAsString(t)]}encodeAsString(t){let e=""+t.type;return(t.type===l.BINARY_EVENT||t.type===l.BINARY_ACK)&&(e+=t.attachments+"-"),t.nsp&&t.nsp!=="/"&&(e+=t.nsp+","),t.id!=null&&(e+=t.id),t.data!=null&&(e+=JSON.stringify(t.data,this.replacer)),e}encodeAsBinary(t){let e=le(t),s=this.encodeAsString(e.packet),r=e.buffers;return r.unshift(s),r}},vt=class n extends p{constructor(t){super(),this.opts=Object.assign({reviver:void 0,maxAttachments:10},typeof t=="function"?{reviver:t}:t)}add(t){let e;if(typeof t=="string"){if(this.reconstructor)throw new Error("got plaintext data when reconstructing a packet");e=this.decodeString(t);let s=e.type===l.BINARY_EVENT;s||e.type===l.BINARY_ACK?(e.type=s?l.EVENT:l.ACK,this.reconstructor=new kt(e)):super.emitReserved("decoded",e)}else if(Y(t)||t.base64)if(this.reconstructor)e=this.reconstructor.takeBinaryData(t),e&&(this.reconstructor=null,super.emitReserved("decoded",e));else throw new Error("got binary data when not reconstructing a packet");else throw new Error("Unknown type: "+t)}decodeString(t){let e=0,s={type:Number(t.charAt(0))};if(l[s.type]===void 0)throw new Error("unknown packet type "+s.type);if(s.type===l.BINARY_EVENT||s.type===l.BINARY_ACK){let i=e+1;for(;t.charAt(++e)!=="-"&&e!=t.length;);let a=t.substring(i,e);if(a!=Number(a)||t.charAt(e)!=="-")throw new Error("Illegal attachments");let h=Number(a);if(!de(h)||h<1)throw new Error("Illegal attachments");if(h>this.opts.maxAttachments)throw new Error("too many attachments");s.attachments=h}if(t.charAt(e+1)==="/"){let i=e+1;for(;++e&&!(t.charAt(e)===","||e===t.length););s.nsp=t.substring(i,e)}else s.nsp="/";let r=t.charAt(e+1);if(r!==""&&Number(r)==r){let i=e+1;for(;++e;){let a=t.charAt(e);if(a==null||Number(a)!=a){--e;break}if(e===t.length)break}s.id=Number(t.substring(i,e+1))}if(t.charAt(++e)){let i=this.tryParse(t.substr(e));if(n.isPayloadValid(s.type,i))s.data=i;else throw new Error("invalid payload")}return s}tryParse(t){try{return JSON.parse(t,this.opts.reviver)}catch{return!1}}static isPayloadValid(t,e){switch(t){case l.CONNECT:return ot(e);case l.DISCONNECT:return e===void 0;case l.CONNECT_ERROR:return typeof e=="string"||ot(e);case l.EVENT:case l.BINARY_EVENT:return Array.isArray(e)&&(typeof e[0]=="number"||typeof e[0]=="string"&&fe.indexOf(e[0])===-1);case l.ACK:case l.BINARY_ACK:return Array.isArray(e)}}destroy(){this.reconstructor&&(this.reconstructor.finishedReconstruction(),this.reconstructor=null)}},kt=class{constructor(t){this.packet=t,this.buffers=[],this.reconPack=t}takeBinaryData(t){if(this.buffers.push(t),this.buffers.length===this.reconPack.attachments){let e=ue(this.reconPack,this.buffers);return this.finishedReconstruction(),e}return null}finishedReconstruction(){this.reconPack=null,this.buffers=[]}};function rn(n){return typeof n=="string"}var de=Number.isInteger||function(n){return typeof n=="number"&&isFinite(n)&&Math.floor(n)===n};function on(n){return n===void 0||de(n)}function ot(n){return Object.prototype.toString.call(n)==="[object Object]"}function an(n,t){switch(n){case l.CONNECT:return t===void 0||ot(t);case l.DISCONNECT:return t===void 0;case l.EVENT:return Array.isArray(t)&&(typeof t[0]=="number"||typeof t[0]=="string"&&fe.indexOf(t[0])===-1);case l.ACK:return Array.isArray(t);case l.CONNECT_ERROR:return typeof t=="string"||ot(t);default:return!1}}function cn(n){return rn(n.nsp)&&on(n.id)&&an(n.type,n.data)}function b(n,t,e){return n.on(t,e),function(){n.off(t,e)}}var hn=Object.freeze({connect:1,connect_error:1,disconnect:1,disconnecting:1,newListener:1,removeListener:1}),P=class extends p{constructor(t,e,s){super(),this.connected=!1,this.recovered=!1,this.receiveBuffer=[],this.sendBuffer=[],this._queue=[],this._queueSeq=0,this.ids=0,this.acks={},this.flags={},this.io=t,this.nsp=e,s&&s.auth&&(this.auth=s.auth),this._opts=Object.assign({},s),this.io._autoConnect&&this.open()}get disconnected(){return!this.connected}subEvents(){if(this.subs)return;let t=this.io;this.subs=[b(t,"open",this.onopen.bind(this)),b(t,"packet",this.onpacket.bind(this)),b(t,"error",this.onerror.bind(this)),b(t,"close",this.onclose.bind(this))]}get active(){return!!this.subs}connect(){return this.connected?this:(this.subEvents(),this.io._reconnecting||this.io.open(),this.io._readyState==="open"&&this.onopen(),this)}open(){return this.connect()}send(...t){return t.unshift("message"),this.emit.apply(this,t),this}emit(t,...e){var s,r,i;if(hn.hasOwnProperty(t))throw new Error('"'+t.toString()+'" is a reserved event name');if(e.unshift(t),this._opts.retries&&!this.flags.fromQueue&&!this.flags.volatile)return this._addToQueue(e),this;let a={type:l.EVENT,data:e};if(a.options={},a.options.compress=this.flags.compress!==!1,typeof e[e.length-1]=="function"){let m=this.ids++,x=e.pop();this._registerAckCallback(m,x),a.id=m}let h=(r=(s=this.io.engine)===null||s===void 0?void 0:s.transport)===null||r===void 0?void 0:r.writable,f=this.connected&&!(!((i=this.io.engine)===null||i===void 0)&&i._hasPingExpired());return this.flags.volatile&&!h||(f?(this.notifyOutgoingListeners(a),this.packet(a)):this.sendBuffer.push(a)),this.flags={},this}_registerAckCallback(t,e){var s;let r=(s=this.flags.timeout)!==null&&s!==void 0?s:this._opts.ackTimeout;if(r===void 0){this.acks[t]=e;return}let i=this.io.setTimeoutFn(()=>{delete this.acks[t];for(let h=0;h<this.sendBuffer.length;h++)this.sendBuffer[h].id===t&&this.sendBuffer.splice(h,1);e.call(this,new Error("operation has timed out"))},r),a=(...h)=>{this.io.clearTimeoutFn(i),e.apply(this,h)};a.withError=!0,this.acks[t]=a}emitWithAck(t,...e){return new Promise((s,r)=>{let i=(a,h)=>a?r(a):s(h);i.withError=!0,e.push(i),this.emit(t,...e)})}_addToQueue(t){let e;typeof t[t.length-1]=="function"&&(e=t.pop());let s={id:this._queueSeq++,tryCount:0,pending:!1,args:t,flags:Object.assign({fromQueue:!0},this.flags)};t.push((r,...i)=>s!==this._queue[0]?void 0:(r!==null?s.tryCount>this._opts.retries&&(this._queue.shift(),e&&e(r)):(this._queue.shift(),e&&e(null,...i)),s.pending=!1,this._drainQueue())),this._queue.push(s),this._drainQueue()}_drainQueue(t=!1){if(!this.connected||this._queue.length===0)return;let e=this._queue[0];e.pending&&!t||(e.pending=!0,e.tryCount++,this.flags=e.flags,this.emit.apply(this,e.args))}packet(t){t.nsp=this.nsp,this.io._packet(t)}onopen(){typeof this.auth=="function"?this.auth(t=>{this._sendConnectPacket(t)}):this._sendConnectPacket(this.auth)}_sendConnectPacket(t){this.packet({type:l.CONNECT,data:this._pid?Object.assign({pid:this._pid,offset:this._lastOffset},t):t})}onerror(t){this.connected||this.emitReserved("connect_error",t)}onclose(t,e){this.connected=!1,delete this.id,this.emitReserved("disconnect",t,e),this._clearAcks()}_clearAcks(){Object.keys(this.acks).forEach(t=>{if(!this.sendBuffer.some(s=>String(s.id)===t)){let s=this.acks[t];delete this.acks[t],s.withError&&s.call(this,new Error("socket has been disconnected"))}})}onpacket(t){if(t.nsp===this.nsp)switch(t.type){case l.CONNECT:t.data&&t.data.sid?this.onconnect(t.data.sid,t.data.pid):this.emitReserved("connect_error",new Error("It seems you are trying to reach a Socket.IO server in v2.x with a v3.x client, but they are not compatible (more information here: https://socket.io/docs/v3/migrating-from-2-x-to-3-0/)"));break;case l.EVENT:case l.BINARY_EVENT:this.onevent(t);break;case l.ACK:case l.BINARY_ACK:this.onack(t);break;case l.DISCONNECT:this.ondisconnect();break;case l.CONNECT_ERROR:this.destroy();let s=new Error(t.data.message);s.data=t.data.data,this.emitReserved("connect_error",s);break}}onevent(t){let e=t.data||[];t.id!=null&&e.push(this.ack(t.id)),this.connected?this.emitEvent(e):this.receiveBuffer.push(Object.freeze(e))}emitEvent(t){if(this._anyListeners&&this._anyListeners.length){let e=this._anyListeners.slice();for(let s of e)s.apply(this,t)}super.emit.apply(this,t),this._pid&&t.length&&typeof t[t.length-1]=="string"&&(this._lastOffset=t[t.length-1])}ack(t){let e=this,s=!1;return function(...r){s||(s=!0,e.packet({type:l.ACK,id:t,data:r}))}}onack(t){let e=this.acks[t.id];typeof e=="function"&&(delete this.acks[t.id],e.withError&&t.data.unshift(null),e.apply(this,t.data))}onconnect(t,e){this.id=t,this.recovered=e&&this._pid===e,this._pid=e,this.connected=!0,this.emitBuffered(),this.emitReserved("connect"),this._drainQueue(!0)}emitBuffered(){this.receiveBuffer.forEach(t=>this.emitEvent(t)),this.receiveBuffer=[],this.sendBuffer.forEach(t=>{this.notifyOutgoingListeners(t),this.packet(t)}),this.sendBuffer=[]}ondisconnect(){this.destroy(),this.onclose("io server disconnect")}destroy(){this.subs&&(this.subs.forEach(t=>t()),this.subs=void 0),this.io._destroy(this)}disconnect(){return this.connected&&this.packet({type:l.DISCONNECT}),this.destroy(),this.connected&&this.onclose("io client disconnect"),this}close(){return this.disconnect()}compress(t){return this.flags.compress=t,this}get volatile(){return this.flags.volatile=!0,this}timeout(t){return this.flags.timeout=t,this}onAny(t){return this._anyListeners=this._anyListeners||[],this._anyListeners.push(t),this}prependAny(t){return this._anyListeners=this._anyListeners||[],this._anyListeners.unshift(t),this}offAny(t){if(!this._anyListeners)return this;if(t){let e=this._anyListeners;for(let s=0;s<e.length;s++)if(t===e[s])return e.splice(s,1),this}else this._anyListeners=[];return this}listenersAny(){return this._anyListeners||[]}onAnyOutgoing(t){return this._anyOutgoingListeners=this._anyOutgoingListeners||[],this._anyOutgoingListeners.push(t),this}prependAnyOutgoing(t){return this._anyOutgoingListeners=this._anyOutgoingListeners||[],this._anyOutgoingListeners.unshift(t),this}offAnyOutgoing(t){if(!this._anyOutgoingListeners)return this;if(t){let e=this._anyOutgoingListeners;for(let s=0;s<e.length;s++)if(t===e[s])return e.splice(s,1),this}else this._anyOutgoingListeners=[];return this}listenersAnyOutgoing(){return this._anyOutgoingListeners||[]}notifyOutgoingListeners(t){if(this._anyOutgoingListeners&&this._anyOutgoingListeners.length){let e=this._anyOutgoingListeners.slice();for(let s of e)s.apply(this,t.data)}}};function C(n){n=n||{},this.ms=n.min||100,this.max=n.max||1e4,this.factor=n.factor||2,this.jitter=n.jitter>0&&n.jitter<=1?n.jitter:0,this.attempts=0}C.prototype.duration=function(){var n=this.ms*Math.pow(this.factor,this.attempts++);if(this.jitter){var t=Math.random(),e=Math.floor(t*this.jitter*n);n=Math.floor(t*10)&1?n+e:n-e}return Math.min(n,this.max)|0};C.prototype.reset=function(){this.attempts=0};C.prototype.setMin=function(n){this.ms=n};C.prototype.setMax=function(n){this.max=n};C.prototype.setJitter=function(n){this.jitter=n};var I=class extends p{constructor(t,e){var s;super(),this.nsps={},this.subs=[],t&&typeof t=="object"&&(e=t,t=void 0),e=e||{},e.path=e.path||"/socket.io",this.opts=e,k(this,e),this.reconnection(e.reconnection!==!1),this.reconnectionAttempts(e.reconnectionAttempts||1/0),this.reconnectionDelay(e.reconnectionDelay||1e3),this.reconnectionDelayMax(e.reconnectionDelayMax||5e3),this.randomizationFactor((s=e.randomizationFactor)!==null&&s!==void 0?s:.5),this.backoff=new C({min:this.reconnectionDelay(),max:this.reconnectionDelayMax(),jitter:this.randomizationFactor()}),this.timeout(e.timeout==null?2e4:e.timeout),this._readyState="closed",this.uri=t;let r=e.parser||Et;this.encoder=new r.Encoder,this.decoder=new r.Decoder,this._autoConnect=e.autoConnect!==!1,this._autoConnect&&this.open()}reconnection(t){return arguments.length?(this._reconnection=!!t,t||(this.skipReconnect=!0),this):this._reconnection}reconnectionAttempts(t){return t===void 0?this._reconnectionAttempts:(this._reconnectionAttempts=t,this)}reconnectionDelay(t){var e;return t===void 0?this._reconnectionDelay:(this._reconnectionDelay=t,(e=this.backoff)===null||e===void 0||e.setMin(t),this)}randomizationFactor(t){var e;return t===void 0?this._randomizationFactor:(this._randomizationFactor=t,(e=this.backoff)===null||e===void 0||e.setJitter(t),this)}reconnectionDelayMax(t){var e;return t===void 0?this._reconnectionDelayMax:(this._reconnectionDelayMax=t,(e=this.backoff)===null||e===void 0||e.setMax(t),this)}timeout(t){return arguments.length?(this._timeout=t,this):this._timeout}maybeReconnectOnOpen(){!this._reconnecting&&this._reconnection&&this.backoff.attempts===0&&this.reconnect()}open(t){if(~this._readyState.indexOf("open"))return this;this.engine=new R(this.uri,this.opts);let e=this.engine,s=this;this._readyState="opening",this.skipReconnect=!1;let r=b(e,"open",function(){s.onopen(),t&&t()}),i=h=>{this.cleanup(),this._readyState="closed",this.emitReserved("error",h),t?t(h):this.maybeReconnectOnOpen()},a=b(e,"error",i);if(this._timeout!==!1){let h=this._timeout,f=this.setTimeoutFn(()=>{r(),i(new Error("timeout")),e.close()},h);this.opts.autoUnref&&f.unref(),this.subs.push(()=>{this.clearTimeoutFn(f)})}return this.subs.push(r),this.subs.push(a),this}connect(t){return this.open(t)}onopen(){this.cleanup(),this._readyState="open",this.emitReserved("open");let t=this.engine;this.subs.push(b(t,"ping",this.onping.bind(this)),b(t,"data",this.ondata.bind(this)),b(t,"error",this.onerror.bind(this)),b(t,"close",this.onclose.bind(this)),b(this.decoder,"decoded",this.ondecoded.bind(this)))}onping(){this.emitReserved("ping")}ondata(t){try{this.decoder.add(t)}catch(e){this.onclose("parse error",e)}}ondecoded(t){v(()=>{this.emitReserved("packet",t)},this.setTimeoutFn)}onerror(t){this.emitReserved("error",t)}socket(t,e){let s=this.nsps[t];return s?this._autoConnect&&!s.active&&s.connect():(s=new P(this,t,e),this.nsps[t]=s),s}_destroy(t){let e=Object.keys(this.nsps);for(let s of e)if(this.nsps[s].active)return;this._close()}_packet(t){let e=this.encoder.encode(t);for(let s=0;s<e.length;s++)this.engine.write(e[s],t.options)}cleanup(){this.subs.forEach(t=>t()),this.subs.length=0,this.decoder.destroy()}_close(){this.skipReconnect=!0,this._reconnecting=!1,this.onclose("forced close")}disconnect(){return this._close()}onclose(t,e){var s;this.cleanup(),(s=this.engine)===null||s===void 0||s.close(),this.backoff.reset(),this._readyState="closed",this.emitReserved("close",t,e),this._reconnection&&!this.skipReconnect&&this.reconnect()}reconnect(){if(this._reconnecting||this.skipReconnect)return this;let t=this;if(this.backoff.attempts>=this._reconnectionAttempts)this.backoff.reset(),this.emitReserved("reconnect_failed"),this._reconnecting=!1;else{let e=this.backoff.duration();this._reconnecting=!0;let s=this.setTimeoutFn(()=>{t.skipReconnect||(this.emitReserved("reconnect_attempt",t.backoff.attempts),!t.skipReconnect&&t.open(r=>{r?(t._reconnecting=!1,t.reconnect(),this.emitReserved("reconnect_error",r)):t.onreconnect()}))},e);this.opts.autoUnref&&s.unref(),this.subs.push(()=>{this.clearTimeoutFn(s)})}}onreconnect(){let t=this.backoff.attempts;this._reconnecting=!1,this.backoff.reset(),this.emitReserved("reconnect",t)}};var $={};function J(n,t){typeof n=="object"&&(t=n,n=void 0),t=t||{};let e=ce(n,t.path||"/socket.io"),s=e.source,r=e.id,i=e.path,a=$[r]&&i in $[r].nsps,h=t.forceNew||t["force new connection"]||t.multiplex===!1||a,f;return h?f=new I(s,t):($[r]||($[r]=new I(s,t)),f=$[r]),e.query&&!t.query&&(t.query=e.queryKey),f.socket(e.path,t)}Object.assign(J,{Manager:I,Socket:P,io:J,connect:J});var me=`/* The widget's styles, bundled into widget.js as text and put in its shadow root. */
:host {
  all: initial; /* nothing of the host page's styles leaks in */
}

.frame {
  --accent: #0a6470;
  --accent-dark: #074a53;
  --accent-soft: #e6f2f3;
  --text: #1d2429;
  --muted: #5b6770;
  --bot-bg: #f1f4f6;
  --border: #d5dde2;
  --focus: #e08a00;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
  color: var(--text);
  -webkit-font-smoothing: antialiased;
}

.frame *,
.frame *::before,
.frame *::after {
  box-sizing: border-box;
}

[hidden] {
  display: none !important;
}

.sr-only {
  position: absolute;
  width: 1px;
  height: 1px;
  margin: -1px;
  padding: 0;
  overflow: hidden;
  clip: rect(0 0 0 0);
  white-space: nowrap;
  border: 0;
}

button {
  font: inherit;
  color: inherit;
  cursor: pointer;
}

/* Visible focus on everything the keyboard can reach, on light and dark backgrounds alike. */
button:focus-visible,
input:focus-visible,
a:focus-visible {
  outline: 3px solid var(--focus);
  outline-offset: 2px;
}

/* --- launcher ------------------------------------------------------------------------------ */
.launcher {
  position: fixed;
  right: 20px;
  bottom: 20px;
  z-index: 2147483000;
  display: flex;
  align-items: center;
  gap: 8px;
  padding: 12px 18px;
  border: 0;
  border-radius: 999px;
  background: var(--accent);
  color: #fff;
  font-weight: 600;
  box-shadow: 0 6px 20px rgba(0, 0, 0, 0.22);
}

.launcher:hover {
  background: var(--accent-dark);
}

.launcher svg {
  width: 22px;
  height: 22px;
  fill: currentColor;
}

/* --- panel --------------------------------------------------------------------------------- */
.panel {
  position: fixed;
  right: 20px;
  bottom: 84px;
  z-index: 2147483001;
  display: flex;
  flex-direction: column;
  width: 380px;
  height: min(600px, calc(100vh - 110px));
  overflow: hidden;
  border: 1px solid var(--border);
  border-radius: 14px;
  background: #fff;
  box-shadow: 0 12px 40px rgba(0, 0, 0, 0.25);
}

.header {
  display: flex;
  align-items: center;
  gap: 8px;
  padding: 12px 12px 12px 16px;
  background: var(--accent);
  color: #fff;
}

.heading {
  flex: 1;
  min-width: 0;
}

.title {
  margin: 0;
  font-size: 16px;
  font-weight: 700;
  line-height: 1.3;
}

.subtitle {
  margin: 0;
  font-size: 13px;
  opacity: 0.85;
}

.langs {
  display: flex;
  overflow: hidden;
  border: 1px solid rgba(255, 255, 255, 0.7);
  border-radius: 8px;
}

.lang {
  padding: 4px 9px;
  border: 0;
  background: transparent;
  color: #fff;
  font-size: 13px;
  font-weight: 600;
}

.lang[aria-pressed="true"] {
  background: #fff;
  color: var(--accent-dark);
}

.icon-button {
  display: inline-flex;
  align-items: center;
  justify-content: center;
  width: 36px;
  height: 36px;
  padding: 0;
  border: 0;
  border-radius: 8px;
  background: transparent;
}

.close {
  color: #fff;
}

.close:hover {
  background: rgba(255, 255, 255, 0.15);
}

.close svg {
  width: 20px;
  height: 20px;
  fill: none;
  stroke: currentColor;
  stroke-width: 2.2;
  stroke-linecap: round;
}

.status {
  margin: 0;
  padding: 6px 16px;
  background: #fff4d6;
  color: #6b4b00;
  font-size: 13px;
}

/* --- conversation ---------------------------------------------------------------------------- */
.body {
  flex: 1;
  overflow-y: auto;
  padding: 14px 12px 6px;
  overscroll-behavior: contain;
}

.log {
  display: flex;
  flex-direction: column;
  gap: 8px;
}

.row {
  display: flex;
}

.row.user {
  justify-content: flex-end;
}

.bubble {
  max-width: 85%;
  padding: 9px 12px;
  border-radius: 14px;
  white-space: pre-line; /* the bot's paragraphs and list lines */
  overflow-wrap: anywhere; /* long URLs wrap instead of widening the panel */
}

.bubble.bot {
  border-bottom-left-radius: 4px;
  background: var(--bot-bg);
}

.bubble.agent {
  border-bottom-left-radius: 4px;
  background: var(--bot-bg);
  border-left: 4px solid var(--accent); /* a person, not the bot */
}

.agent-name {
  display: block;
  margin-bottom: 2px;
  font-size: 0.85em;
  font-weight: 700;
  color: var(--accent-dark);
}

.bubble.user {
  border-bottom-right-radius: 4px;
  background: var(--accent);
  color: #fff;
}

.bubble a {
  color: var(--accent-dark);
  font-weight: 600;
  text-decoration: underline;
}

/* A phone number is one tap target and never breaks across lines. */
.bubble a.phone {
  white-space: nowrap;
}

.quick {
  display: flex;
  flex-wrap: wrap;
  gap: 6px;
  margin-top: 10px;
}

.quick:empty {
  display: none;
}

.reply {
  padding: 6px 12px;
  border: 1px solid var(--accent);
  border-radius: 999px;
  background: #fff;
  color: var(--accent-dark);
  font-size: 14px;
}

.reply:hover {
  background: var(--accent-soft);
}

.typing {
  display: inline-flex;
  gap: 4px;
  margin-top: 10px;
  padding: 12px 14px;
  border-radius: 14px;
  background: var(--bot-bg);
}

.dot {
  width: 7px;
  height: 7px;
  border-radius: 50%;
  background: var(--muted);
  animation: blink 1.2s infinite ease-in-out;
}

.dot:nth-child(2) {
  animation-delay: 0.2s;
}

.dot:nth-child(3) {
  animation-delay: 0.4s;
}

@keyframes blink {
  0%, 80%, 100% { opacity: 0.25; }
  40% { opacity: 1; }
}

@media (prefers-reduced-motion: reduce) {
  .dot {
    animation: none;
    opacity: 0.6;
  }
}

/* --- composer ------------------------------------------------------------------------------- */
.composer {
  display: flex;
  gap: 8px;
  padding: 10px 12px;
  border-top: 1px solid var(--border);
}

.input {
  flex: 1;
  min-width: 0;
  padding: 9px 12px;
  border: 1px solid var(--border);
  border-radius: 10px;
  font: inherit;
  font-size: 16px; /* below 16px mobile Safari zooms the page on focus */
  color: var(--text);
}

.send {
  background: var(--accent);
  color: #fff;
}

.send:hover {
  background: var(--accent-dark);
}

.send svg {
  width: 20px;
  height: 20px;
  fill: currentColor;
}

/* --- phones: the panel takes the whole screen ------------------------------------------------ */
@media (max-width: 480px) {
  .panel {
    inset: 0;
    width: 100%;
    height: 100%;
    border: 0;
    border-radius: 0;
  }

  .is-open .launcher {
    display: none;
  }

  .launcher {
    right: 12px;
    bottom: 12px;
  }
}
`;var ge={bg:{greeting:"\u0417\u0434\u0440\u0430\u0432\u0435\u0439\u0442\u0435! \u0410\u0437 \u0441\u044A\u043C \u0431\u043E\u0442 \u2013 \u0432\u0438\u0440\u0442\u0443\u0430\u043B\u043D\u0438\u044F\u0442 \u0430\u0441\u0438\u0441\u0442\u0435\u043D\u0442 \u043D\u0430 \u0422\u0415\u0410 \u0437\u0430 \u0435\u043B\u0435\u043A\u0442\u0440\u043E\u043D\u043D\u0430 \u043F\u043E\u0449\u0430. \u041C\u043E\u0433\u0430 \u0434\u0430 \u043F\u043E\u043C\u043E\u0433\u043D\u0430 \u0441 \u0438\u0437\u0431\u043E\u0440\u0430 \u043C\u0435\u0436\u0434\u0443 POP3 \u0438 IMAP, \u043F\u044A\u043B\u043D\u0430 \u043F\u043E\u0449\u0435\u043D\u0441\u043A\u0430 \u043A\u0443\u0442\u0438\u044F, \u043F\u043E\u0449\u0430 \u043D\u0430 \u043D\u044F\u043A\u043E\u043B\u043A\u043E \u0443\u0441\u0442\u0440\u043E\u0439\u0441\u0442\u0432\u0430 \u0438 \u043D\u0430\u0441\u0442\u0440\u043E\u0439\u043A\u0430 \u043D\u0430 \u043F\u0440\u043E\u0433\u0440\u0430\u043C\u0430 \u0437\u0430 \u043F\u043E\u0449\u0430. \u041F\u0438\u0448\u0435\u0442\u0435 \u043C\u0438 \u043D\u0430 \u0431\u044A\u043B\u0433\u0430\u0440\u0441\u043A\u0438 \u0438\u043B\u0438 \u043D\u0430 \u0430\u043D\u0433\u043B\u0438\u0439\u0441\u043A\u0438.",launcher:"\u0427\u0430\u0442 \u0441 \u0430\u0441\u0438\u0441\u0442\u0435\u043D\u0442\u0430",title:"\u0410\u0441\u0438\u0441\u0442\u0435\u043D\u0442 \u043D\u0430 \u0422\u0415\u0410",subtitle:"\u0411\u043E\u0442 \xB7 \u0435\u043B\u0435\u043A\u0442\u0440\u043E\u043D\u043D\u0430 \u043F\u043E\u0449\u0430",language:"\u0415\u0437\u0438\u043A \u043D\u0430 \u0440\u0430\u0437\u0433\u043E\u0432\u043E\u0440\u0430",close:"\u0417\u0430\u0442\u0432\u043E\u0440\u0438 \u0447\u0430\u0442\u0430",inputLabel:"\u0412\u0430\u0448\u0435\u0442\u043E \u0441\u044A\u043E\u0431\u0449\u0435\u043D\u0438\u0435",placeholder:"\u041D\u0430\u043F\u0438\u0448\u0435\u0442\u0435 \u0432\u044A\u043F\u0440\u043E\u0441\u2026",send:"\u0418\u0437\u043F\u0440\u0430\u0442\u0438",quickReplies:"\u0411\u044A\u0440\u0437\u0438 \u043E\u0442\u0433\u043E\u0432\u043E\u0440\u0438",typing:"\u0410\u0441\u0438\u0441\u0442\u0435\u043D\u0442\u044A\u0442 \u043F\u0438\u0448\u0435\u2026",connecting:"\u0421\u0432\u044A\u0440\u0437\u0432\u0430\u043D\u0435\u2026",reconnecting:"\u0412\u0440\u044A\u0437\u043A\u0430\u0442\u0430 \u043F\u0440\u0435\u043A\u044A\u0441\u043D\u0430. \u0421\u0432\u044A\u0440\u0437\u0432\u0430\u043D\u0435 \u043E\u0442\u043D\u043E\u0432\u043E\u2026",you:"\u0412\u0438\u0435",bot:"\u0410\u0441\u0438\u0441\u0442\u0435\u043D\u0442",newTab:"(\u043E\u0442\u0432\u0430\u0440\u044F \u0441\u0435 \u0432 \u043D\u043E\u0432 \u0440\u0430\u0437\u0434\u0435\u043B)",agent:"\u0442\u0435\u0445\u043D\u0438\u0447\u0435\u0441\u043A\u0430 \u043F\u043E\u0434\u0434\u0440\u044A\u0436\u043A\u0430"},en:{greeting:"Hello! I'm a bot \u2013 TEA's virtual email assistant. I can help you choose between POP3 and IMAP, with a full mailbox, mail on several devices and setting up an email program. Write to me in Bulgarian or in English.",launcher:"Chat with the assistant",title:"TEA assistant",subtitle:"Bot \xB7 email",language:"Conversation language",close:"Close the chat",inputLabel:"Your message",placeholder:"Type a question\u2026",send:"Send",quickReplies:"Quick replies",typing:"The assistant is typing\u2026",connecting:"Connecting\u2026",reconnecting:"Connection lost. Reconnecting\u2026",you:"You",bot:"Assistant",newTab:"(opens in a new tab)",agent:"technical support"}};var xe=["bg","en"],fn="http://localhost:5005",At=200,pn=3e4,dn=/https?:\/\/[^\s<>"'«»„“]+/g,mn=/[.,;:!?)\]}]+$/,gn=/^([^:]{1,40}: )?(.+?) - (https?:\/\/\S+)$/,yn=/(?:\+\d{1,3}|\b0)[\d ]{6,14}\d\b/g,bn=document.currentScript;function we(n){let t=String(n||"").slice(0,2).toLowerCase();return xe.includes(t)?t:"bg"}function St(n){try{let t=new URL(n);return t.protocol==="http:"||t.protocol==="https:"?t.origin:null}catch{return null}}function _n(n){let t=n&&n.dataset||{};return{rasaOrigin:St(t.rasaUrl)||fn,socketPath:t.socketPath||"/socket.io/",lang:we(t.lang||document.documentElement.lang)}}function xn(n){return{load(){try{return JSON.parse(window.localStorage.getItem(n)||"{}")||{}}catch{return{}}},save(t){try{let e=t.history.filter(s=>!s.pending).slice(-At);window.localStorage.setItem(n,JSON.stringify({...t,history:e}))}catch{}}}}function ve(n){return(Array.isArray(n)?n:[]).filter(t=>t&&typeof t.title=="string"&&typeof t.payload=="string").map(({title:t,payload:e})=>({title:t,payload:e}))}function wn(n){return(Array.isArray(n)?n:[]).filter(t=>t&&["bot","user","agent"].includes(t.from)&&typeof t.text=="string").map(t=>({from:t.from,text:t.text,buttons:ve(t.buttons),...ke(t)}))}function ke(n){let t=n.from==="agent"&&typeof n.agent=="string"?n.agent.slice(0,100):"";return t?{agent:t}:{}}function u(n,t={},...e){let s=document.createElement(n);for(let[r,i]of Object.entries(t))i===!1||i==null||(r==="text"?s.textContent=i:r.startsWith("on")?s.addEventListener(r.slice(2),i):s.setAttribute(r,i===!0?"":String(i)));return s.append(...e.filter(Boolean)),s}function Tt(n){let t="http://www.w3.org/2000/svg",e=document.createElementNS(t,"svg");e.setAttribute("viewBox","0 0 24 24"),e.setAttribute("aria-hidden","true"),e.setAttribute("focusable","false");let s=document.createElementNS(t,"path");return s.setAttribute("d",n),e.append(s),e}var vn="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",kn="M6 6l12 12M18 6L6 18",En="M3 20l18-8L3 4v6l12 2-12 2z";function ye(n,t,e){let s=u("a",{href:n,target:"_blank",rel:"noopener noreferrer"},t);return s.append(u("span",{class:"sr-only",text:` ${e}`})),s}function be(n,t){let e=0;for(let s of t.matchAll(yn))n.append(t.slice(e,s.index)),n.append(u("a",{href:`tel:${s[0].replace(/[^\d+]/g,"")}`,class:"phone"},s[0])),e=s.index+s[0].length;n.append(t.slice(e))}function Tn(n,t,e){let s=gn.exec(t);if(s&&St(s[3])){s[1]&&n.append(s[1]),n.append(ye(s[3],s[2],e));return}let r=0;for(let i of t.matchAll(dn)){let a=i[0].replace(mn,"");St(a)&&(be(n,t.slice(r,i.index)),n.append(ye(a,a,e)),r=i.index+a.length)}be(n,t.slice(r))}function An(n,t,e){t.split(`
`).forEach((s,r)=>{r&&n.append(`
`),Tn(n,s,e)})}function _e(n){let t=xn(`tea-chat:${n.rasaOrigin}`),e=t.load(),s={sessionId:typeof e.sessionId=="string"&&e.sessionId?e.sessionId:null,lang:we(e.lang||n.lang),open:e.open===!0,history:wn(e.history),withAgent:e.withAgent===!0},r=()=>t.save(s),i=o=>ge[s.lang][o],a=null,h=!1,f=!1,_=0,m=[],x=[],g=(o,c,d)=>(x.push([o,c,d]),o),Ee=g(u("span",{class:"launcher-text"}),"text","launcher"),X=u("button",{type:"button",class:"launcher","aria-controls":"tea-chat-panel","aria-expanded":"false"},Tt(vn),Ee),Te=g(u("h2",{id:"tea-chat-title",class:"title"}),"text","title"),Ae=g(u("p",{class:"subtitle"}),"text","subtitle"),Rt=xe.map(o=>u("button",{type:"button",class:"lang",lang:o,"aria-label":o==="bg"?"\u0411\u044A\u043B\u0433\u0430\u0440\u0441\u043A\u0438":"English",onclick:()=>qe(o)},o==="bg"?"\u0411\u0413":"EN")),Se=g(u("div",{class:"langs",role:"group"},...Rt),"aria-label","language"),Re=g(u("button",{type:"button",class:"icon-button close",onclick:()=>G(!1)},Tt(kn)),"aria-label","close"),O=u("p",{class:"status",role:"status",hidden:!0}),Ct=u("div",{class:"log",role:"log","aria-live":"polite","aria-relevant":"additions"}),at=g(u("div",{class:"quick",role:"group"}),"aria-label","quickReplies"),Ce=g(u("span",{class:"sr-only"}),"text","typing"),Ot=u("div",{class:"typing",hidden:!0},u("span",{class:"dot"}),u("span",{class:"dot"}),u("span",{class:"dot"}),Ce),N=u("div",{class:"body"},Ct,at,Ot),Oe=g(u("label",{for:"tea-chat-input",class:"sr-only"}),"text","inputLabel"),q=g(u("input",{id:"tea-chat-input",class:"input",type:"text",autocomplete:"off",maxlength:"2000"}),"placeholder","placeholder"),Ne=g(u("button",{type:"submit",class:"icon-button send"},Tt(En)),"aria-label","send"),Be=u("form",{class:"composer",onsubmit:Ie},Oe,q,Ne),ct=u("section",{id:"tea-chat-panel",class:"panel",role:"dialog","aria-labelledby":"tea-chat-title",hidden:!0},u("header",{class:"header"},u("div",{class:"heading"},Te,Ae),Se,Re),O,N,Be),Nt=u("div",{class:"frame"},ct,X),Bt=u("div",{id:"tea-chat-widget"});Bt.attachShadow({mode:"open"}).append(u("style",{text:me}),Nt),document.body.append(Bt),X.addEventListener("click",()=>G(!s.open)),ct.addEventListener("keydown",o=>{o.key==="Escape"&&(o.preventDefault(),G(!1))});function Lt(){for(let[o,c,d]of x)c==="text"?o.textContent=i(d):o.setAttribute(c,i(d));for(let o of Rt)o.setAttribute("aria-pressed",String(o.lang===s.lang));O.hidden||ht(O.dataset.key)}function ht(o){O.hidden=!o,O.dataset.key=o||"",O.textContent=o?i(o):""}function Q(){N.scrollTop=N.scrollHeight}let lt=new Map,D=null;function Le(o){D||(D=o);let c=D.getBoundingClientRect().top-N.getBoundingClientRect().top;o.getBoundingClientRect().bottom-D.getBoundingClientRect().top>N.clientHeight?N.scrollTop+=c-8:Q()}function Pt(o){let c=u("div",{class:`bubble ${o.from}`});if(o.from==="agent"?(c.append(u("span",{class:"agent-name",text:`${o.agent||i("agent")} \xB7 ${i("agent")}`})),c.append(u("span",{class:"sr-only",text:": "}))):c.append(u("span",{class:"sr-only",text:`${i(o.from==="user"?"you":"bot")}: `})),o.from!=="user")An(c,o.text,i("newTab"));else{let U=document.createTextNode(o.text);c.append(U),o.pending&&lt.set(o.id,U)}let d=u("div",{class:`row ${o.from}`},c);return Ct.append(d),d}function Pe(o){if(!o||typeof o.message_id!="string")return;let c=s.history.find(d=>d.id===o.message_id);if(c){if(o.masked&&typeof o.text=="string"){c.text=o.text;let d=lt.get(c.id);d&&(d.textContent=o.text)}delete c.pending,lt.delete(c.id),r()}}function It(){at.replaceChildren();let o=s.history[s.history.length-1];if(!(!o||o.from!=="bot"))for(let c of o.buttons)at.append(u("button",{type:"button",class:"reply",onclick:()=>Dt(c.title,c.payload)},c.title))}function j(o){s.history.push(o),s.history.length>At&&s.history.splice(0,s.history.length-At),r();let c=Pt(o);It(),o.from==="bot"?Le(c):(D=null,Q())}function ut(o){window.clearTimeout(_),Ot.hidden=!o,o&&(_=window.setTimeout(()=>ut(!1),pn),Q())}function qt(o,c){ut(!s.withAgent);let d={message:o,message_id:c};h?a.emit("user_uttered",{...d,session_id:s.sessionId}):m.push(d),Ut()}function Dt(o,c){let d=`${Date.now().toString(36)}-${Math.random().toString(36).slice(2,10)}`;j({from:"user",text:o,buttons:[],id:d,pending:!0}),qt(c,d),q.focus()}function Ie(o){o.preventDefault();let c=q.value.trim();c&&(q.value="",Dt(c,c))}function qe(o){o!==s.lang&&(s.lang=o,r(),Lt(),qt(`/switch_language{"target_language": "${o}"}`))}function De(o){if(!o||typeof o!="object")return;let c=typeof o.text=="string"?o.text:"",d=ve(o.quick_replies||o.buttons);if(!c&&!d.length)return;ut(!1),(o.takeover==="claim"||o.takeover==="release")&&(s.withAgent=o.takeover==="claim");let U=o.agent&&typeof o.agent.name=="string"?o.agent.name:"";j(U?{from:"agent",text:c,buttons:[],...ke({from:"agent",agent:U})}:{from:"bot",text:c,buttons:d})}function Ut(){if(a)return;a=J(n.rasaOrigin,{path:n.socketPath,reconnectionDelayMax:5e3}),a.on("connect",()=>a.emit("session_request",{session_id:s.sessionId})),a.on("session_confirm",c=>{for(typeof c=="string"&&c&&(s.sessionId=c),r(),h=!0,f=!0,ht(null);m.length;)a.emit("user_uttered",{...m.shift(),session_id:s.sessionId})}),a.on("bot_uttered",De),a.on("user_uttered_ack",Pe);let o=()=>{h=!1,ht(f?"reconnecting":"connecting")};a.on("connect_error",o),a.on("disconnect",c=>{o(),c==="io server disconnect"&&a.connect()})}function G(o,{focus:c=!0}={}){s.open=o,r(),ct.hidden=!o,Nt.classList.toggle("is-open",o),X.setAttribute("aria-expanded",String(o)),o?(s.history.length||j({from:"bot",text:i("greeting"),buttons:[]}),Ut(),Q(),c&&q.focus()):c&&X.focus()}Lt();for(let o of s.history)Pt(o);It(),s.open&&G(!0,{focus:!1})}if(!window.__teaChatWidget){window.__teaChatWidget=!0;let n=_n(bn);document.body?_e(n):document.addEventListener("DOMContentLoaded",()=>_e(n))}})();
