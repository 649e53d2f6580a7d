/* TEA chat widget. Built from web/src by 'npm run build'; bundles socket.io-client (MIT). */
(()=>{var Pe=Object.defineProperty;var qe=(n,t)=>{for(var e in t)Pe(n,e,{get:t[e],enumerable:!0})};var w=Object.create(null);w.open="0";w.close="1";w.ping="2";w.pong="3";w.message="4";w.upgrade="5";w.noop="6";var I=Object.create(null);Object.keys(w).forEach(n=>{I[w[n]]=n});var D={type:"error",data:"parser error"};var Ft=typeof Blob=="function"||typeof Blob!="undefined"&&Object.prototype.toString.call(Blob)==="[object BlobConstructor]",Vt=typeof ArrayBuffer=="function",Mt=n=>typeof ArrayBuffer.isView=="function"?ArrayBuffer.isView(n):n&&n.buffer instanceof ArrayBuffer,U=({type:n,data:t},e,r)=>Ft&&t instanceof Blob?e?r(t):Dt(t,r):Vt&&(t instanceof ArrayBuffer||Mt(t))?e?r(t):Dt(new Blob([t]),r):r(w[n]+(t||"")),Dt=(n,t)=>{let e=new FileReader;return e.onload=function(){let r=e.result.split(",")[1];t("b"+(r||""))},e.readAsDataURL(n)};function Ut(n){return n instanceof Uint8Array?n:n instanceof ArrayBuffer?new Uint8Array(n):new Uint8Array(n.buffer,n.byteOffset,n.byteLength)}var lt;function Ht(n,t){if(Ft&&n.data instanceof Blob)return n.data.arrayBuffer().then(Ut).then(t);if(Vt&&(n.data instanceof ArrayBuffer||Mt(n.data)))return t(Ut(n.data));U(n,!1,e=>{lt||(lt=new TextEncoder),t(lt.encode(e))})}var Wt="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",F=typeof Uint8Array=="undefined"?[]:new Uint8Array(256);for(let n=0;n<Wt.length;n++)F[Wt.charCodeAt(n)]=n;var zt=n=>{let t=n.length*.75,e=n.length,r,s=0,i,a,c,f;n[n.length-1]==="="&&(t--,n[n.length-2]==="="&&t--);let _=new ArrayBuffer(t),m=new Uint8Array(_);for(r=0;r<e;r+=4)i=F[n.charCodeAt(r)],a=F[n.charCodeAt(r+1)],c=F[n.charCodeAt(r+2)],f=F[n.charCodeAt(r+3)],m[s++]=i<<2|a>>4,m[s++]=(a&15)<<4|c>>2,m[s++]=(c&3)<<6|f&63;return _};var Ie=typeof ArrayBuffer=="function",V=(n,t)=>{if(typeof n!="string")return{type:"message",data:Kt(n,t)};let e=n.charAt(0);return e==="b"?{type:"message",data:De(n.substring(1),t)}:I[e]?n.length>1?{type:I[e],data:n.substring(1)}:{type:I[e]}:D},De=(n,t)=>{if(Ie){let e=zt(n);return Kt(e,t)}else return{base64:!0,data:n}},Kt=(n,t)=>{switch(t){case"blob":return n instanceof Blob?n:new Blob([n]);case"arraybuffer":default:return n instanceof ArrayBuffer?n:n.buffer}};var Yt="",$t=(n,t)=>{let e=n.length,r=new Array(e),s=0;n.forEach((i,a)=>{U(i,!1,c=>{r[a]=c,++s===e&&t(r.join(Yt))})})},Jt=(n,t)=>{let e=n.split(Yt),r=[];for(let s=0;s<e.length;s++){let i=V(e[s],t);if(r.push(i),i.type==="error")break}return r};function Xt(){return new TransformStream({transform(n,t){Ht(n,e=>{let r=e.length,s;if(r<126)s=new Uint8Array(1),new DataView(s.buffer).setUint8(0,r);else if(r<65536){s=new Uint8Array(3);let i=new DataView(s.buffer);i.setUint8(0,126),i.setUint16(1,r)}else{s=new Uint8Array(9);let i=new DataView(s.buffer);i.setUint8(0,127),i.setBigUint64(1,BigInt(r))}n.data&&typeof n.data!="string"&&(s[0]|=128),t.enqueue(s),t.enqueue(e)})}})}var ut;function X(n){return n.reduce((t,e)=>t+e.length,0)}function Q(n,t){if(n[0].length===t)return n.shift();let e=new Uint8Array(t),r=0;for(let s=0;s<t;s++)e[s]=n[0][r++],r===n[0].length&&(n.shift(),r=0);return n.length&&r<n[0].length&&(n[0]=n[0].slice(r)),e}function Qt(n,t){ut||(ut=new TextDecoder);let e=[],r=0,s=-1,i=!1;return new TransformStream({transform(a,c){for(e.push(a);;){if(r===0){if(X(e)<1)break;let f=Q(e,1);i=(f[0]&128)===128,s=f[0]&127,s<126?r=3:s===126?r=1:r=2}else if(r===1){if(X(e)<2)break;let f=Q(e,2);s=new DataView(f.buffer,f.byteOffset,f.length).getUint16(0),r=3}else if(r===2){if(X(e)<8)break;let f=Q(e,8),_=new DataView(f.buffer,f.byteOffset,f.length),m=_.getUint32(0);if(m>Math.pow(2,21)-1){c.enqueue(D);break}s=m*Math.pow(2,32)+_.getUint32(4),r=3}else{if(X(e)<s)break;let f=Q(e,s);c.enqueue(V(i?f:ut.decode(f),t)),r=0}if(s===0||s>n){c.enqueue(D);break}}}})}var ft=4;function p(n){if(n)return Ue(n)}function Ue(n){for(var t in p.prototype)n[t]=p.prototype[t];return n}p.prototype.on=p.prototype.addEventListener=function(n,t){return this._callbacks=this._callbacks||{},(this._callbacks["$"+n]=this._callbacks["$"+n]||[]).push(t),this};p.prototype.once=function(n,t){function e(){this.off(n,e),t.apply(this,arguments)}return e.fn=t,this.on(n,e),this};p.prototype.off=p.prototype.removeListener=p.prototype.removeAllListeners=p.prototype.removeEventListener=function(n,t){if(this._callbacks=this._callbacks||{},arguments.length==0)return this._callbacks={},this;var e=this._callbacks["$"+n];if(!e)return this;if(arguments.length==1)return delete this._callbacks["$"+n],this;for(var r,s=0;s<e.length;s++)if(r=e[s],r===t||r.fn===t){e.splice(s,1);break}return e.length===0&&delete this._callbacks["$"+n],this};p.prototype.emit=function(n){this._callbacks=this._callbacks||{};for(var t=new Array(arguments.length-1),e=this._callbacks["$"+n],r=1;r<arguments.length;r++)t[r-1]=arguments[r];if(e){e=e.slice(0);for(var r=0,s=e.length;r<s;++r)e[r].apply(this,t)}return this};p.prototype.emitReserved=p.prototype.emit;p.prototype.listeners=function(n){return this._callbacks=this._callbacks||{},this._callbacks["$"+n]||[]};p.prototype.hasListeners=function(n){return!!this.listeners(n).length};var v=typeof Promise=="function"&&typeof Promise.resolve=="function"?t=>Promise.resolve().then(t):(t,e)=>e(t,0),y=typeof self!="undefined"?self:typeof window!="undefined"?window:Function("return this")(),jt="arraybuffer";function j(n,...t){return t.reduce((e,r)=>(n.hasOwnProperty(r)&&(e[r]=n[r]),e),{})}var Fe=y.setTimeout,Ve=y.clearTimeout;function k(n,t){t.useNativeTimers?(n.setTimeoutFn=Fe.bind(y),n.clearTimeoutFn=Ve.bind(y)):(n.setTimeoutFn=y.setTimeout.bind(y),n.clearTimeoutFn=y.clearTimeout.bind(y))}var Me=1.33;function Gt(n){return typeof n=="string"?He(n):Math.ceil((n.byteLength||n.size)*Me)}function He(n){let t=0,e=0;for(let r=0,s=n.length;r<s;r++)t=n.charCodeAt(r),t<128?e+=1:t<2048?e+=2:t<55296||t>=57344?e+=3:(r++,e+=4);return e}function G(){return Date.now().toString(36).substring(3)+Math.random().toString(36).substring(2,5)}function Zt(n){let t="";for(let e in n)n.hasOwnProperty(e)&&(t.length&&(t+="&"),t+=encodeURIComponent(e)+"="+encodeURIComponent(n[e]));return t}function te(n){let t={},e=n.split("&");for(let r=0,s=e.length;r<s;r++){let i=e[r].split("=");t[decodeURIComponent(i[0])]=decodeURIComponent(i.slice(1).join("="))}return t}var Z=class extends Error{constructor(t,e,r){super(t),this.description=e,this.context=r,this.type="TransportError"}},E=class extends p{constructor(t){super(),this.writable=!1,k(this,t),this.opts=t,this.query=t.query,this.socket=t.socket,this.supportsBinary=!t.forceBase64}onError(t,e,r){return super.emitReserved("error",new Z(t,e,r)),this}open(){return this.readyState="opening",this.doOpen(),this}close(){return(this.readyState==="opening"||this.readyState==="open")&&(this.doClose(),this.onClose()),this}send(t){this.readyState==="open"&&this.write(t)}onOpen(){this.readyState="open",this.writable=!0,super.emitReserved("open")}onData(t){let e=V(t,this.socket.binaryType);this.onPacket(e)}onPacket(t){super.emitReserved("packet",t)}onClose(t){this.readyState="closed",super.emitReserved("close",t)}pause(t){}createUri(t,e={}){return t+"://"+this._hostname()+this._port()+this.opts.path+this._query(e)}_hostname(){let t=this.opts.hostname;return t.indexOf(":")===-1?t:"["+t+"]"}_port(){return this.opts.port&&(this.opts.secure&&Number(this.opts.port)!==443||!this.opts.secure&&Number(this.opts.port)!==80)?":"+this.opts.port:""}_query(t){let e=Zt(t);return e.length?"?"+e:""}};var M=class extends E{constructor(){super(...arguments),this._polling=!1}get name(){return"polling"}doOpen(){this._poll()}pause(t){this.readyState="pausing";let e=()=>{this.readyState="paused",t()};if(this._polling||!this.writable){let r=0;this._polling&&(r++,this.once("pollComplete",function(){--r||e()})),this.writable||(r++,this.once("drain",function(){--r||e()}))}else e()}_poll(){this._polling=!0,this.doPoll(),this.emitReserved("poll")}onData(t){let e=r=>{if(this.readyState==="opening"&&r.type==="open"&&this.onOpen(),r.type==="close")return this.onClose({description:"transport closed by the server"}),!1;this.onPacket(r)};Jt(t,this.socket.binaryType).forEach(e),this.readyState!=="closed"&&(this._polling=!1,this.emitReserved("pollComplete"),this.readyState==="open"&&this._poll())}doClose(){let t=()=>{this.write([{type:"close"}])};this.readyState==="open"?t():this.once("open",t)}write(t){this.writable=!1,$t(t,e=>{this.doWrite(e,()=>{this.writable=!0,this.emitReserved("drain")})})}uri(){let t=this.opts.secure?"https":"http",e=this.query||{};return this.opts.timestampRequests!==!1&&(e[this.opts.timestampParam]=G()),!this.supportsBinary&&!e.sid&&(e.b64=1),this.createUri(t,e)}};var ee=!1;try{ee=typeof XMLHttpRequest!="undefined"&&"withCredentials"in new XMLHttpRequest}catch{}var ne=ee;function We(){}var pt=class extends M{constructor(t){if(super(t),typeof location!="undefined"){let e=location.protocol==="https:",r=location.port;r||(r=e?"443":"80"),this.xd=typeof location!="undefined"&&t.hostname!==location.hostname||r!==t.port}}doWrite(t,e){let r=this.request({method:"POST",data:t});r.on("success",e),r.on("error",(s,i)=>{this.onError("xhr post error",s,i)})}doPoll(){let t=this.request();t.on("data",this.onData.bind(this)),t.on("error",(e,r)=>{this.onError("xhr poll error",e,r)}),this.pollXhr=t}},T=class n extends p{constructor(t,e,r){super(),this.createRequest=t,k(this,r),this._opts=r,this._method=r.method||"GET",this._uri=e,this._data=r.data!==void 0?r.data:null,this._create()}_create(){var t;let e=j(this._opts,"agent","pfx","key","passphrase","cert","ca","ciphers","rejectUnauthorized","autoUnref");e.xdomain=!!this._opts.xd;let r=this._xhr=this.createRequest(e);try{r.open(this._method,this._uri,!0);try{if(this._opts.extraHeaders){r.setDisableHeaderCheck&&r.setDisableHeaderCheck(!0);for(let s in this._opts.extraHeaders)this._opts.extraHeaders.hasOwnProperty(s)&&r.setRequestHeader(s,this._opts.extraHeaders[s])}}catch{}if(this._method==="POST")try{r.setRequestHeader("Content-type","text/plain;charset=UTF-8")}catch{}try{r.setRequestHeader("Accept","*/*")}catch{}(t=this._opts.cookieJar)===null||t===void 0||t.addCookies(r),"withCredentials"in r&&(r.withCredentials=this._opts.withCredentials),this._opts.requestTimeout&&(r.timeout=this._opts.requestTimeout),r.onreadystatechange=()=>{var s;r.readyState===3&&((s=this._opts.cookieJar)===null||s===void 0||s.parseCookies(r.getResponseHeader("set-cookie"))),r.readyState===4&&(r.status===200||r.status===1223?this._onLoad():this.setTimeoutFn(()=>{this._onError(typeof r.status=="number"?r.status:0)},0))},r.send(this._data)}catch(s){this.setTimeoutFn(()=>{this._onError(s)},0);return}typeof document!="undefined"&&(this._index=n.requestsCount++,n.requests[this._index]=this)}_onError(t){this.emitReserved("error",t,this._xhr),this._cleanup(!0)}_cleanup(t){if(!(typeof this._xhr=="undefined"||this._xhr===null)){if(this._xhr.onreadystatechange=We,t)try{this._xhr.abort()}catch{}typeof document!="undefined"&&delete n.requests[this._index],this._xhr=null}}_onLoad(){let t=this._xhr.responseText;t!==null&&(this.emitReserved("data",t),this.emitReserved("success"),this._cleanup())}abort(){this._cleanup()}};T.requestsCount=0;T.requests={};if(typeof document!="undefined"){if(typeof attachEvent=="function")attachEvent("onunload",re);else if(typeof addEventListener=="function"){let n="onpagehide"in y?"pagehide":"unload";addEventListener(n,re,!1)}}function re(){for(let n in T.requests)T.requests.hasOwnProperty(n)&&T.requests[n].abort()}var ze=function(){let n=se({xdomain:!1});return n&&n.responseType!==null}(),A=class extends pt{constructor(t){super(t);let e=t&&t.forceBase64;this.supportsBinary=ze&&!e}request(t={}){return Object.assign(t,{xd:this.xd},this.opts),new T(se,this.uri(),t)}};function se(n){let t=n.xdomain;try{if(typeof XMLHttpRequest!="undefined"&&(!t||ne))return new XMLHttpRequest}catch{}if(!t)try{return new y[["Active"].concat("Object").join("X")]("Microsoft.XMLHTTP")}catch{}}var ie=typeof navigator!="undefined"&&typeof navigator.product=="string"&&navigator.product.toLowerCase()==="reactnative",mt=class extends E{get name(){return"websocket"}doOpen(){let t=this.uri(),e=this.opts.protocols,r=ie?{}:j(this.opts,"agent","perMessageDeflate","pfx","key","passphrase","cert","ca","ciphers","rejectUnauthorized","localAddress","protocolVersion","origin","maxPayload","family","checkServerIdentity");this.opts.extraHeaders&&(r.headers=this.opts.extraHeaders);try{this.ws=this.createSocket(t,e,r)}catch(s){return this.emitReserved("error",s)}this.ws.binaryType=this.socket.binaryType,this.addEventListeners()}addEventListeners(){this.ws.onopen=()=>{this.opts.autoUnref&&this.ws._socket.unref(),this.onOpen()},this.ws.onclose=t=>this.onClose({description:"websocket connection closed",context:t}),this.ws.onmessage=t=>this.onData(t.data),this.ws.onerror=t=>this.onError("websocket error",t)}write(t){this.writable=!1;for(let e=0;e<t.length;e++){let r=t[e],s=e===t.length-1;U(r,this.supportsBinary,i=>{try{this.doWrite(r,i)}catch{}s&&v(()=>{this.writable=!0,this.emitReserved("drain")},this.setTimeoutFn)})}}doClose(){typeof this.ws!="undefined"&&(this.ws.onerror=()=>{},this.ws.close(),this.ws=null)}uri(){let t=this.opts.secure?"wss":"ws",e=this.query||{};return this.opts.timestampRequests&&(e[this.opts.timestampParam]=G()),this.supportsBinary||(e.b64=1),this.createUri(t,e)}},dt=y.WebSocket||y.MozWebSocket,S=class extends mt{createSocket(t,e,r){return ie?new dt(t,e,r):e?new dt(t,e):new dt(t)}doWrite(t,e){this.ws.send(e)}};var N=class extends E{get name(){return"webtransport"}doOpen(){try{this._transport=new WebTransport(this.createUri("https"),this.opts.transportOptions[this.name])}catch(t){return this.emitReserved("error",t)}this._transport.closed.then(()=>{this.onClose()}).catch(t=>{this.onError("webtransport error",t)}),this._transport.ready.then(()=>{this._transport.createBidirectionalStream().then(t=>{let e=Qt(Number.MAX_SAFE_INTEGER,this.socket.binaryType),r=t.readable.pipeThrough(e).getReader(),s=Xt();s.readable.pipeTo(t.writable),this._writer=s.writable.getWriter();let i=()=>{r.read().then(({done:c,value:f})=>{c||(this.onPacket(f),i())}).catch(c=>{})};i();let a={type:"open"};this.query.sid&&(a.data=`{"sid":"${this.query.sid}"}`),this._writer.write(a).then(()=>this.onOpen())})})}write(t){this.writable=!1;for(let e=0;e<t.length;e++){let r=t[e],s=e===t.length-1;this._writer.write(r).then(()=>{s&&v(()=>{this.writable=!0,this.emitReserved("drain")},this.setTimeoutFn)})}}doClose(){var t;(t=this._transport)===null||t===void 0||t.close()}};var gt={websocket:S,webtransport:N,polling:A};var Ke=/^(?:(?![^:@\/?#]+:[^:@\/]*@)(http|https|ws|wss):\/\/)?((?:(([^:@\/?#]*)(?::([^:@\/?#]*))?)?@)?((?:[a-f0-9]{0,4}:){2,7}[a-f0-9]{0,4}|[^:\/?#]*)(?::(\d*))?)(((\/(?:[^?#](?![^?#\/]*\.[^?#\/.]+(?:[?#]|$)))*\/?)?([^?#\/]*))(?:\?([^#]*))?(?:#(.*))?)/,Ye=["source","protocol","authority","userInfo","user","password","host","port","relative","path","directory","file","query","anchor"];function B(n){if(n.length>8e3)throw"URI too long";let t=n,e=n.indexOf("["),r=n.indexOf("]");e!=-1&&r!=-1&&(n=n.substring(0,e)+n.substring(e,r).replace(/:/g,";")+n.substring(r,n.length));let s=Ke.exec(n||""),i={},a=14;for(;a--;)i[Ye[a]]=s[a]||"";return e!=-1&&r!=-1&&(i.source=t,i.host=i.host.substring(1,i.host.length-1).replace(/;/g,":"),i.authority=i.authority.replace("[","").replace("]","").replace(/;/g,":"),i.ipv6uri=!0),i.pathNames=$e(i,i.path),i.queryKey=Je(i,i.query),i}function $e(n,t){let e=/\/{2,9}/g,r=t.replace(e,"/").split("/");return(t.slice(0,1)=="/"||t.length===0)&&r.splice(0,1),t.slice(-1)=="/"&&r.splice(r.length-1,1),r}function Je(n,t){let e={};return t.replace(/(?:^|&)([^&=]*)=?([^&]*)/g,function(r,s,i){s&&(e[s]=i)}),e}var yt=typeof addEventListener=="function"&&typeof removeEventListener=="function",tt=[];yt&&addEventListener("offline",()=>{tt.forEach(n=>n())},!1);var R=class n extends p{constructor(t,e={}){var r,s;if(super(),this.binaryType=jt,this.writeBuffer=[],this._prevBufferLen=0,this._upgrades=[],this._pingInterval=-1,this._pingTimeout=-1,this._maxPayload=-1,this._pingTimeoutTime=1/0,t&&typeof t=="object"&&(e=t,t=null),t){let i=B(t);e.hostname=i.host,e.secure=i.protocol==="https"||i.protocol==="wss",e.port=i.port,i.query&&(e.query=i.query)}else e.host&&(e.hostname=B(e.host).host);if(k(this,e),this.secure=e.secure!=null?e.secure:typeof location!="undefined"&&location.protocol==="https:",e.hostname&&!e.port&&(e.port=this.secure?"443":"80"),this.hostname=e.hostname||(typeof location!="undefined"?location.hostname:"localhost"),this.port=e.port||(typeof location!="undefined"&&location.port?location.port:this.secure?"443":"80"),e.transportImplementations&&e.transports)throw new Error("specifying both 'transportImplementations' and 'transports' options is not supported");e.transportImplementations||!((r=e.transports)===null||r===void 0)&&r.length&&typeof e.transports[0]=="function"?(this.transports=[],this._transportsByName=Object.create(null),((s=e.transportImplementations)!==null&&s!==void 0?s:e.transports).forEach(i=>{let a=i.prototype.name;this.transports.push(a),this._transportsByName[a]=i})):(this.transports=e.transports?[...e.transports]:["polling","websocket","webtransport"],this._transportsByName=gt),this.opts=Object.assign({path:"/engine.io",agent:!1,withCredentials:!1,upgrade:!0,timestampParam:"t",rememberUpgrade:!1,addTrailingSlash:!0,rejectUnauthorized:!0,perMessageDeflate:{threshold:1024},transportOptions:{},closeOnBeforeunload:!1},e),this.opts.path=this.opts.path.replace(/\/$/,"")+(this.opts.addTrailingSlash?"/":""),typeof this.opts.query=="string"&&(this.opts.query=te(this.opts.query)),yt&&(this.opts.closeOnBeforeunload&&(this._beforeunloadEventListener=()=>{this.transport&&(this.transport.removeAllListeners(),this.transport.close())},addEventListener("beforeunload",this._beforeunloadEventListener,!1)),this.hostname!=="localhost"&&(this._offlineEventListener=()=>{this._onClose("transport close",{description:"network connection lost"})},tt.push(this._offlineEventListener))),this.opts.withCredentials&&(this._cookieJar=void 0),this._open()}createTransport(t){let e=Object.assign({},this.opts.query);e.EIO=ft,e.transport=t,this.id&&(e.sid=this.id);let r=Object.assign({},this.opts,{query:e,socket:this,hostname:this.hostname,secure:this.secure,port:this.port},this.opts.transportOptions[t]);return new this._transportsByName[t](r)}_open(){if(this.transports.length===0){this.setTimeoutFn(()=>{this.emitReserved("error","No transports available")},0);return}let t=this.opts.rememberUpgrade&&n.priorWebsocketSuccess&&this.transports.indexOf("websocket")!==-1?"websocket":this.transports[0];this.readyState="opening";let e=this.createTransport(t);e.open(),this.setTransport(e)}setTransport(t){this.transport&&this.transport.removeAllListeners(),this.transport=t,t.on("drain",this._onDrain.bind(this)).on("packet",this._onPacket.bind(this)).on("error",this._onError.bind(this)).on("close",e=>this._onClose("transport close",e))}_probe(t){let e=this.createTransport(t),r=!1;n.priorWebsocketSuccess=!1;let s=()=>{r||(e.send([{type:"ping",data:"probe"}]),e.once("packet",x=>{if(!r)if(x.type==="pong"&&x.data==="probe"){if(this.upgrading=!0,this.emitReserved("upgrading",e),!e)return;n.priorWebsocketSuccess=e.name==="websocket",this.transport.pause(()=>{r||this.readyState!=="closed"&&(m(),this.setTransport(e),e.send([{type:"upgrade"}]),this.emitReserved("upgrade",e),e=null,this.upgrading=!1,this.flush())})}else{let g=new Error("probe error");g.transport=e.name,this.emitReserved("upgradeError",g)}}))};function i(){r||(r=!0,m(),e.close(),e=null)}let a=x=>{let g=new Error("probe error: "+x);g.transport=e.name,i(),this.emitReserved("upgradeError",g)};function c(){a("transport closed")}function f(){a("socket closed")}function _(x){e&&x.name!==e.name&&i()}let m=()=>{e.removeListener("open",s),e.removeListener("error",a),e.removeListener("close",c),this.off("close",f),this.off("upgrading",_)};e.once("open",s),e.once("error",a),e.once("close",c),this.once("close",f),this.once("upgrading",_),this._upgrades.indexOf("webtransport")!==-1&&t!=="webtransport"?this.setTimeoutFn(()=>{r||e.open()},200):e.open()}onOpen(){if(this.readyState="open",n.priorWebsocketSuccess=this.transport.name==="websocket",this.emitReserved("open"),this.flush(),this.readyState==="open"&&this.opts.upgrade)for(let t=0;t<this._upgrades.length;t++)this._probe(this._upgrades[t])}_onPacket(t){if(this.readyState==="opening"||this.readyState==="open"||this.readyState==="closing")switch(this.emitReserved("packet",t),this.emitReserved("heartbeat"),t.type){case"open":this.onHandshake(JSON.parse(t.data));break;case"ping":this._sendPacket("pong"),this.emitReserved("ping"),this.emitReserved("pong"),this._resetPingTimeout();break;case"error":let e=new Error("server error");e.code=t.data,this._onError(e);break;case"message":this.emitReserved("data",t.data),this.emitReserved("message",t.data);break}}onHandshake(t){this.emitReserved("handshake",t),this.id=t.sid,this.transport.query.sid=t.sid,this._upgrades=this._filterUpgrades(t.upgrades),this._pingInterval=t.pingInterval,this._pingTimeout=t.pingTimeout,this._maxPayload=t.maxPayload,this.onOpen(),this.readyState!=="closed"&&this._resetPingTimeout()}_resetPingTimeout(){this.clearTimeoutFn(this._pingTimeoutTimer);let t=this._pingInterval+this._pingTimeout;this._pingTimeoutTime=Date.now()+t,this._pingTimeoutTimer=this.setTimeoutFn(()=>{this._onClose("ping timeout")},t),this.opts.autoUnref&&this._pingTimeoutTimer.unref()}_onDrain(){this.writeBuffer.splice(0,this._prevBufferLen),this._prevBufferLen=0,this.writeBuffer.length===0?this.emitReserved("drain"):this.flush()}flush(){if(this.readyState!=="closed"&&this.transport.writable&&!this.upgrading&&this.writeBuffer.length){let t=this._getWritablePackets();this.transport.send(t),this._prevBufferLen=t.length,this.emitReserved("flush")}}_getWritablePackets(){if(!(this._maxPayload&&this.transport.name==="polling"&&this.writeBuffer.length>1))return this.writeBuffer;let e=1;for(let r=0;r<this.writeBuffer.length;r++){let s=this.writeBuffer[r].data;if(s&&(e+=Gt(s)),r>0&&e>this._maxPayload)return this.writeBuffer.slice(0,r);e+=2}return this.writeBuffer}_hasPingExpired(){if(!this._pingTimeoutTime)return!0;let t=Date.now()>this._pingTimeoutTime;return t&&(this._pingTimeoutTime=0,v(()=>{this._onClose("ping timeout")},this.setTimeoutFn)),t}write(t,e,r){return this._sendPacket("message",t,e,r),this}send(t,e,r){return this._sendPacket("message",t,e,r),this}_sendPacket(t,e,r,s){if(typeof e=="function"&&(s=e,e=void 0),typeof r=="function"&&(s=r,r=null),this.readyState==="closing"||this.readyState==="closed")return;r=r||{},r.compress=r.compress!==!1;let i={type:t,data:e,options:r};this.emitReserved("packetCreate",i),this.writeBuffer.push(i),s&&this.once("flush",s),this.flush()}close(){let t=()=>{this._onClose("forced close"),this.transport.close()},e=()=>{this.off("upgrade",e),this.off("upgradeError",e),t()},r=()=>{this.once("upgrade",e),this.once("upgradeError",e)};return(this.readyState==="opening"||this.readyState==="open")&&(this.readyState="closing",this.writeBuffer.length?this.once("drain",()=>{this.upgrading?r():t()}):this.upgrading?r():t()),this}_onError(t){if(n.priorWebsocketSuccess=!1,this.opts.tryAllTransports&&this.transports.length>1&&this.readyState==="opening")return this.transports.shift(),this._open();this.emitReserved("error",t),this._onClose("transport error",t)}_onClose(t,e){if(this.readyState==="opening"||this.readyState==="open"||this.readyState==="closing"){if(this.clearTimeoutFn(this._pingTimeoutTimer),this.transport.removeAllListeners("close"),this.transport.close(),this.transport.removeAllListeners(),yt&&(this._beforeunloadEventListener&&removeEventListener("beforeunload",this._beforeunloadEventListener,!1),this._offlineEventListener)){let r=tt.indexOf(this._offlineEventListener);r!==-1&&tt.splice(r,1)}this.readyState="closed",this.id=null,this.emitReserved("close",t,e),this.writeBuffer=[],this._prevBufferLen=0}}_filterUpgrades(t){let e=[];for(let r=0;r<t.length;r++)~this.transports.indexOf(t[r])&&e.push(t[r]);return e}};R.protocol=ft;var Ar=R.protocol;function oe(n,t="",e){let r=n;e=e||typeof location!="undefined"&&location,n==null&&(n=e.protocol+"//"+e.host),typeof n=="string"&&(n.charAt(0)==="/"&&(n.charAt(1)==="/"?n=e.protocol+n:n=e.host+n),/^(https?|wss?):\/\//.test(n)||(typeof e!="undefined"?n=e.protocol+"//"+n:n="https://"+n),r=B(n)),r.port||(/^(http|ws)$/.test(r.protocol)?r.port="80":/^(http|ws)s$/.test(r.protocol)&&(r.port="443")),r.path=r.path||"/";let i=r.host.indexOf(":")!==-1?"["+r.host+"]":r.host;return r.id=r.protocol+"://"+i+":"+r.port+t,r.href=r.protocol+"://"+i+(e&&e.port===r.port?"":":"+r.port),r}var vt={};qe(vt,{Decoder:()=>xt,Encoder:()=>_t,PacketType:()=>l,isPacketValid:()=>rn,protocol:()=>ue});var Qe=typeof ArrayBuffer=="function",je=n=>typeof ArrayBuffer.isView=="function"?ArrayBuffer.isView(n):n.buffer instanceof ArrayBuffer,ae=Object.prototype.toString,Ge=typeof Blob=="function"||typeof Blob!="undefined"&&ae.call(Blob)==="[object BlobConstructor]",Ze=typeof File=="function"||typeof File!="undefined"&&ae.call(File)==="[object FileConstructor]";function W(n){return Qe&&(n instanceof ArrayBuffer||je(n))||Ge&&n instanceof Blob||Ze&&n instanceof File}function H(n,t){if(!n||typeof n!="object")return!1;if(Array.isArray(n)){for(let e=0,r=n.length;e<r;e++)if(H(n[e]))return!0;return!1}if(W(n))return!0;if(n.toJSON&&typeof n.toJSON=="function"&&arguments.length===1)return H(n.toJSON(),!0);for(let e in n)if(Object.prototype.hasOwnProperty.call(n,e)&&H(n[e]))return!0;return!1}function ce(n){let t=[],e=n.data,r=n;return r.data=et(e,t),r.attachments=t.length,{packet:r,buffers:t}}function et(n,t,e){if(!n)return n;if(W(n)){let r={_placeholder:!0,num:t.length};return t.push(n),r}else if(Array.isArray(n)){let r=new Array(n.length);for(let s=0;s<n.length;s++)r[s]=et(n[s],t);return r}else if(typeof n=="object"&&!(n instanceof Date)){if(n.toJSON&&typeof n.toJSON=="function"&&!e)return et(n.toJSON(),t,!0);let r={};for(let s in n)Object.prototype.hasOwnProperty.call(n,s)&&(r[s]=et(n[s],t));return r}return n}function he(n,t){return n.data=bt(n.data,t),delete n.attachments,n}function bt(n,t){if(!n)return n;if(n&&n._placeholder===!0){if(typeof n.num=="number"&&n.num>=0&&n.num<t.length)return t[n.num];throw new Error("illegal attachments")}else if(Array.isArray(n))for(let e=0;e<n.length;e++)n[e]=bt(n[e],t);else if(typeof n=="object")for(let e in n)Object.prototype.hasOwnProperty.call(n,e)&&(n[e]=bt(n[e],t));return n}var le=["connect","connect_error","disconnect","disconnecting","newListener","removeListener"],ue=5,l;(function(n){n[n.CONNECT=0]="CONNECT",n[n.DISCONNECT=1]="DISCONNECT",n[n.EVENT=2]="EVENT",n[n.ACK=3]="ACK",n[n.CONNECT_ERROR=4]="CONNECT_ERROR",n[n.BINARY_EVENT=5]="BINARY_EVENT",n[n.BINARY_ACK=6]="BINARY_ACK"})(l||(l={}));var _t=class{constructor(t){this.replacer=t}encode(t){return(t.type===l.EVENT||t.type===l.ACK)&&H(t)?this.encodeAsBinary({type:t.type===l.EVENT?l.BINARY_EVENT:l.BINARY_ACK,nsp:t.nsp,data:t.data,id:t.id}):[this.encodeAsString(t)]}encodeAsString(t){let e=""+t.type;return(t.type===l.BINARY_EVENT||t.type===l.BINARY_ACK)&&(e+=t.attachments+"-"),t.nsp&&t.nsp!=="/"&&(e+=t.nsp+","),t.id!=null&&(e+=t.id),t.data!=null&&(e+=JSON.stringify(t.data,this.replacer)),e}encodeAsBinary(t){let e=ce(t),r=this.encodeAsString(e.packet),s=e.buffers;return s.unshift(r),s}},xt=class n extends p{constructor(t){super(),this.opts=Object.assign({reviver:void 0,maxAttachments:10},typeof t=="function"?{reviver:t}:t)}add(t){let e;if(typeof t=="string"){if(this.reconstructor)throw new Error("got plaintext data when reconstructing a packet");e=this.decodeString(t);let r=e.type===l.BINARY_EVENT;r||e.type===l.BINARY_ACK?(e.type=r?l.EVENT:l.ACK,this.reconstructor=new wt(e)):super.emitReserved("decoded",e)}else if(W(t)||t.base64)if(this.reconstructor)e=this.reconstructor.takeBinaryData(t),e&&(this.reconstructor=null,super.emitReserved("decoded",e));else throw new Error("got binary data when not reconstructing a packet");else throw new Error("Unknown type: "+t)}decodeString(t){let e=0,r={type:Number(t.charAt(0))};if(l[r.type]===void 0)throw new Error("unknown packet type "+r.type);if(r.type===l.BINARY_EVENT||r.type===l.BINARY_ACK){let i=e+1;for(;t.charAt(++e)!=="-"&&e!=t.length;);let a=t.substring(i,e);if(a!=Number(a)||t.charAt(e)!=="-")throw new Error("Illegal attachments");let c=Number(a);if(!fe(c)||c<1)throw new Error("Illegal attachments");if(c>this.opts.maxAttachments)throw new Error("too many attachments");r.attachments=c}if(t.charAt(e+1)==="/"){let i=e+1;for(;++e&&!(t.charAt(e)===","||e===t.length););r.nsp=t.substring(i,e)}else r.nsp="/";let s=t.charAt(e+1);if(s!==""&&Number(s)==s){let i=e+1;for(;++e;){let a=t.charAt(e);if(a==null||Number(a)!=a){--e;break}if(e===t.length)break}r.id=Number(t.substring(i,e+1))}if(t.charAt(++e)){let i=this.tryParse(t.substr(e));if(n.isPayloadValid(r.type,i))r.data=i;else throw new Error("invalid payload")}return r}tryParse(t){try{return JSON.parse(t,this.opts.reviver)}catch{return!1}}static isPayloadValid(t,e){switch(t){case l.CONNECT:return nt(e);case l.DISCONNECT:return e===void 0;case l.CONNECT_ERROR:return typeof e=="string"||nt(e);case l.EVENT:case l.BINARY_EVENT:return Array.isArray(e)&&(typeof e[0]=="number"||typeof e[0]=="string"&&le.indexOf(e[0])===-1);case l.ACK:case l.BINARY_ACK:return Array.isArray(e)}}destroy(){this.reconstructor&&(this.reconstructor.finishedReconstruction(),this.reconstructor=null)}},wt=class{constructor(t){this.packet=t,this.buffers=[],this.reconPack=t}takeBinaryData(t){if(this.buffers.push(t),this.buffers.length===this.reconPack.attachments){let e=he(this.reconPack,this.buffers);return this.finishedReconstruction(),e}return null}finishedReconstruction(){this.reconPack=null,this.buffers=[]}};function tn(n){return typeof n=="string"}var fe=Number.isInteger||function(n){return typeof n=="number"&&isFinite(n)&&Math.floor(n)===n};function en(n){return n===void 0||fe(n)}function nt(n){return Object.prototype.toString.call(n)==="[object Object]"}function nn(n,t){switch(n){case l.CONNECT:return t===void 0||nt(t);case l.DISCONNECT:return t===void 0;case l.EVENT:return Array.isArray(t)&&(typeof t[0]=="number"||typeof t[0]=="string"&&le.indexOf(t[0])===-1);case l.ACK:return Array.isArray(t);case l.CONNECT_ERROR:return typeof t=="string"||nt(t);default:return!1}}function rn(n){return tn(n.nsp)&&en(n.id)&&nn(n.type,n.data)}function b(n,t,e){return n.on(t,e),function(){n.off(t,e)}}var sn=Object.freeze({connect:1,connect_error:1,disconnect:1,disconnecting:1,newListener:1,removeListener:1}),L=class extends p{constructor(t,e,r){super(),this.connected=!1,this.recovered=!1,this.receiveBuffer=[],this.sendBuffer=[],this._queue=[],this._queueSeq=0,this.ids=0,this.acks={},this.flags={},this.io=t,this.nsp=e,r&&r.auth&&(this.auth=r.auth),this._opts=Object.assign({},r),this.io._autoConnect&&this.open()}get disconnected(){return!this.connected}subEvents(){if(this.subs)return;let t=this.io;this.subs=[b(t,"open",this.onopen.bind(this)),b(t,"packet",this.onpacket.bind(this)),b(t,"error",this.onerror.bind(this)),b(t,"close",this.onclose.bind(this))]}get active(){return!!this.subs}connect(){return this.connected?this:(this.subEvents(),this.io._reconnecting||this.io.open(),this.io._readyState==="open"&&this.onopen(),this)}open(){return this.connect()}send(...t){return t.unshift("message"),this.emit.apply(this,t),this}emit(t,...e){var r,s,i;if(sn.hasOwnProperty(t))throw new Error('"'+t.toString()+'" is a reserved event name');if(e.unshift(t),this._opts.retries&&!this.flags.fromQueue&&!this.flags.volatile)return this._addToQueue(e),this;let a={type:l.EVENT,data:e};if(a.options={},a.options.compress=this.flags.compress!==!1,typeof e[e.length-1]=="function"){let m=this.ids++,x=e.pop();this._registerAckCallback(m,x),a.id=m}let c=(s=(r=this.io.engine)===null||r===void 0?void 0:r.transport)===null||s===void 0?void 0:s.writable,f=this.connected&&!(!((i=this.io.engine)===null||i===void 0)&&i._hasPingExpired());return this.flags.volatile&&!c||(f?(this.notifyOutgoingListeners(a),this.packet(a)):this.sendBuffer.push(a)),this.flags={},this}_registerAckCallback(t,e){var r;let s=(r=this.flags.timeout)!==null&&r!==void 0?r:this._opts.ackTimeout;if(s===void 0){this.acks[t]=e;return}let i=this.io.setTimeoutFn(()=>{delete this.acks[t];for(let c=0;c<this.sendBuffer.length;c++)this.sendBuffer[c].id===t&&this.sendBuffer.splice(c,1);e.call(this,new Error("operation has timed out"))},s),a=(...c)=>{this.io.clearTimeoutFn(i),e.apply(this,c)};a.withError=!0,this.acks[t]=a}emitWithAck(t,...e){return new Promise((r,s)=>{let i=(a,c)=>a?s(a):r(c);i.withError=!0,e.push(i),this.emit(t,...e)})}_addToQueue(t){let e;typeof t[t.length-1]=="function"&&(e=t.pop());let r={id:this._queueSeq++,tryCount:0,pending:!1,args:t,flags:Object.assign({fromQueue:!0},this.flags)};t.push((s,...i)=>r!==this._queue[0]?void 0:(s!==null?r.tryCount>this._opts.retries&&(this._queue.shift(),e&&e(s)):(this._queue.shift(),e&&e(null,...i)),r.pending=!1,this._drainQueue())),this._queue.push(r),this._drainQueue()}_drainQueue(t=!1){if(!this.connected||this._queue.length===0)return;let e=this._queue[0];e.pending&&!t||(e.pending=!0,e.tryCount++,this.flags=e.flags,this.emit.apply(this,e.args))}packet(t){t.nsp=this.nsp,this.io._packet(t)}onopen(){typeof this.auth=="function"?this.auth(t=>{this._sendConnectPacket(t)}):this._sendConnectPacket(this.auth)}_sendConnectPacket(t){this.packet({type:l.CONNECT,data:this._pid?Object.assign({pid:this._pid,offset:this._lastOffset},t):t})}onerror(t){this.connected||this.emitReserved("connect_error",t)}onclose(t,e){this.connected=!1,delete this.id,this.emitReserved("disconnect",t,e),this._clearAcks()}_clearAcks(){Object.keys(this.acks).forEach(t=>{if(!this.sendBuffer.some(r=>String(r.id)===t)){let r=this.acks[t];delete this.acks[t],r.withError&&r.call(this,new Error("socket has been disconnected"))}})}onpacket(t){if(t.nsp===this.nsp)switch(t.type){case l.CONNECT:t.data&&t.data.sid?this.onconnect(t.data.sid,t.data.pid):this.emitReserved("connect_error",new Error("It seems you are trying to reach a Socket.IO server in v2.x with a v3.x client, but they are not compatible (more information here: https://socket.io/docs/v3/migrating-from-2-x-to-3-0/)"));break;case l.EVENT:case l.BINARY_EVENT:this.onevent(t);break;case l.ACK:case l.BINARY_ACK:this.onack(t);break;case l.DISCONNECT:this.ondisconnect();break;case l.CONNECT_ERROR:this.destroy();let r=new Error(t.data.message);r.data=t.data.data,this.emitReserved("connect_error",r);break}}onevent(t){let e=t.data||[];t.id!=null&&e.push(this.ack(t.id)),this.connected?this.emitEvent(e):this.receiveBuffer.push(Object.freeze(e))}emitEvent(t){if(this._anyListeners&&this._anyListeners.length){let e=this._anyListeners.slice();for(let r of e)r.apply(this,t)}super.emit.apply(this,t),this._pid&&t.length&&typeof t[t.length-1]=="string"&&(this._lastOffset=t[t.length-1])}ack(t){let e=this,r=!1;return function(...s){r||(r=!0,e.packet({type:l.ACK,id:t,data:s}))}}onack(t){let e=this.acks[t.id];typeof e=="function"&&(delete this.acks[t.id],e.withError&&t.data.unshift(null),e.apply(this,t.data))}onconnect(t,e){this.id=t,this.recovered=e&&this._pid===e,this._pid=e,this.connected=!0,this.emitBuffered(),this.emitReserved("connect"),this._drainQueue(!0)}emitBuffered(){this.receiveBuffer.forEach(t=>this.emitEvent(t)),this.receiveBuffer=[],this.sendBuffer.forEach(t=>{this.notifyOutgoingListeners(t),this.packet(t)}),this.sendBuffer=[]}ondisconnect(){this.destroy(),this.onclose("io server disconnect")}destroy(){this.subs&&(this.subs.forEach(t=>t()),this.subs=void 0),this.io._destroy(this)}disconnect(){return this.connected&&this.packet({type:l.DISCONNECT}),this.destroy(),this.connected&&this.onclose("io client disconnect"),this}close(){return this.disconnect()}compress(t){return this.flags.compress=t,this}get volatile(){return this.flags.volatile=!0,this}timeout(t){return this.flags.timeout=t,this}onAny(t){return this._anyListeners=this._anyListeners||[],this._anyListeners.push(t),this}prependAny(t){return this._anyListeners=this._anyListeners||[],this._anyListeners.unshift(t),this}offAny(t){if(!this._anyListeners)return this;if(t){let e=this._anyListeners;for(let r=0;r<e.length;r++)if(t===e[r])return e.splice(r,1),this}else this._anyListeners=[];return this}listenersAny(){return this._anyListeners||[]}onAnyOutgoing(t){return this._anyOutgoingListeners=this._anyOutgoingListeners||[],this._anyOutgoingListeners.push(t),this}prependAnyOutgoing(t){return this._anyOutgoingListeners=this._anyOutgoingListeners||[],this._anyOutgoingListeners.unshift(t),this}offAnyOutgoing(t){if(!this._anyOutgoingListeners)return this;if(t){let e=this._anyOutgoingListeners;for(let r=0;r<e.length;r++)if(t===e[r])return e.splice(r,1),this}else this._anyOutgoingListeners=[];return this}listenersAnyOutgoing(){return this._anyOutgoingListeners||[]}notifyOutgoingListeners(t){if(this._anyOutgoingListeners&&this._anyOutgoingListeners.length){let e=this._anyOutgoingListeners.slice();for(let r of e)r.apply(this,t.data)}}};function C(n){n=n||{},this.ms=n.min||100,this.max=n.max||1e4,this.factor=n.factor||2,this.jitter=n.jitter>0&&n.jitter<=1?n.jitter:0,this.attempts=0}C.prototype.duration=function(){var n=this.ms*Math.pow(this.factor,this.attempts++);if(this.jitter){var t=Math.random(),e=Math.floor(t*this.jitter*n);n=Math.floor(t*10)&1?n+e:n-e}return Math.min(n,this.max)|0};C.prototype.reset=function(){this.attempts=0};C.prototype.setMin=function(n){this.ms=n};C.prototype.setMax=function(n){this.max=n};C.prototype.setJitter=function(n){this.jitter=n};var P=class extends p{constructor(t,e){var r;super(),this.nsps={},this.subs=[],t&&typeof t=="object"&&(e=t,t=void 0),e=e||{},e.path=e.path||"/socket.io",this.opts=e,k(this,e),this.reconnection(e.reconnection!==!1),this.reconnectionAttempts(e.reconnectionAttempts||1/0),this.reconnectionDelay(e.reconnectionDelay||1e3),this.reconnectionDelayMax(e.reconnectionDelayMax||5e3),this.randomizationFactor((r=e.randomizationFactor)!==null&&r!==void 0?r:.5),this.backoff=new C({min:this.reconnectionDelay(),max:this.reconnectionDelayMax(),jitter:this.randomizationFactor()}),this.timeout(e.timeout==null?2e4:e.timeout),this._readyState="closed",this.uri=t;let s=e.parser||vt;this.encoder=new s.Encoder,this.decoder=new s.Decoder,this._autoConnect=e.autoConnect!==!1,this._autoConnect&&this.open()}reconnection(t){return arguments.length?(this._reconnection=!!t,t||(this.skipReconnect=!0),this):this._reconnection}reconnectionAttempts(t){return t===void 0?this._reconnectionAttempts:(this._reconnectionAttempts=t,this)}reconnectionDelay(t){var e;return t===void 0?this._reconnectionDelay:(this._reconnectionDelay=t,(e=this.backoff)===null||e===void 0||e.setMin(t),this)}randomizationFactor(t){var e;return t===void 0?this._randomizationFactor:(this._randomizationFactor=t,(e=this.backoff)===null||e===void 0||e.setJitter(t),this)}reconnectionDelayMax(t){var e;return t===void 0?this._reconnectionDelayMax:(this._reconnectionDelayMax=t,(e=this.backoff)===null||e===void 0||e.setMax(t),this)}timeout(t){return arguments.length?(this._timeout=t,this):this._timeout}maybeReconnectOnOpen(){!this._reconnecting&&this._reconnection&&this.backoff.attempts===0&&this.reconnect()}open(t){if(~this._readyState.indexOf("open"))return this;this.engine=new R(this.uri,this.opts);let e=this.engine,r=this;this._readyState="opening",this.skipReconnect=!1;let s=b(e,"open",function(){r.onopen(),t&&t()}),i=c=>{this.cleanup(),this._readyState="closed",this.emitReserved("error",c),t?t(c):this.maybeReconnectOnOpen()},a=b(e,"error",i);if(this._timeout!==!1){let c=this._timeout,f=this.setTimeoutFn(()=>{s(),i(new Error("timeout")),e.close()},c);this.opts.autoUnref&&f.unref(),this.subs.push(()=>{this.clearTimeoutFn(f)})}return this.subs.push(s),this.subs.push(a),this}connect(t){return this.open(t)}onopen(){this.cleanup(),this._readyState="open",this.emitReserved("open");let t=this.engine;this.subs.push(b(t,"ping",this.onping.bind(this)),b(t,"data",this.ondata.bind(this)),b(t,"error",this.onerror.bind(this)),b(t,"close",this.onclose.bind(this)),b(this.decoder,"decoded",this.ondecoded.bind(this)))}onping(){this.emitReserved("ping")}ondata(t){try{this.decoder.add(t)}catch(e){this.onclose("parse error",e)}}ondecoded(t){v(()=>{this.emitReserved("packet",t)},this.setTimeoutFn)}onerror(t){this.emitReserved("error",t)}socket(t,e){let r=this.nsps[t];return r?this._autoConnect&&!r.active&&r.connect():(r=new L(this,t,e),this.nsps[t]=r),r}_destroy(t){let e=Object.keys(this.nsps);for(let r of e)if(this.nsps[r].active)return;this._close()}_packet(t){let e=this.encoder.encode(t);for(let r=0;r<e.length;r++)this.engine.write(e[r],t.options)}cleanup(){this.subs.forEach(t=>t()),this.subs.length=0,this.decoder.destroy()}_close(){this.skipReconnect=!0,this._reconnecting=!1,this.onclose("forced close")}disconnect(){return this._close()}onclose(t,e){var r;this.cleanup(),(r=this.engine)===null||r===void 0||r.close(),this.backoff.reset(),this._readyState="closed",this.emitReserved("close",t,e),this._reconnection&&!this.skipReconnect&&this.reconnect()}reconnect(){if(this._reconnecting||this.skipReconnect)return this;let t=this;if(this.backoff.attempts>=this._reconnectionAttempts)this.backoff.reset(),this.emitReserved("reconnect_failed"),this._reconnecting=!1;else{let e=this.backoff.duration();this._reconnecting=!0;let r=this.setTimeoutFn(()=>{t.skipReconnect||(this.emitReserved("reconnect_attempt",t.backoff.attempts),!t.skipReconnect&&t.open(s=>{s?(t._reconnecting=!1,t.reconnect(),this.emitReserved("reconnect_error",s)):t.onreconnect()}))},e);this.opts.autoUnref&&r.unref(),this.subs.push(()=>{this.clearTimeoutFn(r)})}}onreconnect(){let t=this.backoff.attempts;this._reconnecting=!1,this.backoff.reset(),this.emitReserved("reconnect",t)}};var z={};function K(n,t){typeof n=="object"&&(t=n,n=void 0),t=t||{};let e=oe(n,t.path||"/socket.io"),r=e.source,s=e.id,i=e.path,a=z[s]&&i in z[s].nsps,c=t.forceNew||t["force new connection"]||t.multiplex===!1||a,f;return c?f=new P(r,t):(z[s]||(z[s]=new P(r,t)),f=z[s]),e.query&&!t.query&&(t.query=e.queryKey),f.socket(e.path,t)}Object.assign(K,{Manager:P,Socket:L,io:K,connect:K});var pe=`/* The widget's styles, bundled into widget.js as text and put in its shadow root. */
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
`;var de={bg:{greeting:"\u0417\u0434\u0440\u0430\u0432\u0435\u0439\u0442\u0435! \u0410\u0437 \u0441\u044A\u043C \u0431\u043E\u0442 \u2013 \u0432\u0438\u0440\u0442\u0443\u0430\u043B\u043D\u0438\u044F\u0442 \u0430\u0441\u0438\u0441\u0442\u0435\u043D\u0442 \u043D\u0430 \u0422\u0415\u0410 \u0437\u0430 \u0435\u043B\u0435\u043A\u0442\u0440\u043E\u043D\u043D\u0430 \u043F\u043E\u0449\u0430. \u041C\u043E\u0433\u0430 \u0434\u0430 \u043F\u043E\u043C\u043E\u0433\u043D\u0430 \u0441 \u0438\u0437\u0431\u043E\u0440\u0430 \u043C\u0435\u0436\u0434\u0443 POP3 \u0438 IMAP, \u043F\u044A\u043B\u043D\u0430 \u043F\u043E\u0449\u0435\u043D\u0441\u043A\u0430 \u043A\u0443\u0442\u0438\u044F, \u043F\u043E\u0449\u0430 \u043D\u0430 \u043D\u044F\u043A\u043E\u043B\u043A\u043E \u0443\u0441\u0442\u0440\u043E\u0439\u0441\u0442\u0432\u0430 \u0438 \u043D\u0430\u0441\u0442\u0440\u043E\u0439\u043A\u0430 \u043D\u0430 \u043F\u0440\u043E\u0433\u0440\u0430\u043C\u0430 \u0437\u0430 \u043F\u043E\u0449\u0430. \u041F\u0438\u0448\u0435\u0442\u0435 \u043C\u0438 \u043D\u0430 \u0431\u044A\u043B\u0433\u0430\u0440\u0441\u043A\u0438 \u0438\u043B\u0438 \u043D\u0430 \u0430\u043D\u0433\u043B\u0438\u0439\u0441\u043A\u0438.",launcher:"\u0427\u0430\u0442 \u0441 \u0430\u0441\u0438\u0441\u0442\u0435\u043D\u0442\u0430",title:"\u0410\u0441\u0438\u0441\u0442\u0435\u043D\u0442 \u043D\u0430 \u0422\u0415\u0410",subtitle:"\u0411\u043E\u0442 \xB7 \u0435\u043B\u0435\u043A\u0442\u0440\u043E\u043D\u043D\u0430 \u043F\u043E\u0449\u0430",language:"\u0415\u0437\u0438\u043A \u043D\u0430 \u0440\u0430\u0437\u0433\u043E\u0432\u043E\u0440\u0430",close:"\u0417\u0430\u0442\u0432\u043E\u0440\u0438 \u0447\u0430\u0442\u0430",inputLabel:"\u0412\u0430\u0448\u0435\u0442\u043E \u0441\u044A\u043E\u0431\u0449\u0435\u043D\u0438\u0435",placeholder:"\u041D\u0430\u043F\u0438\u0448\u0435\u0442\u0435 \u0432\u044A\u043F\u0440\u043E\u0441\u2026",send:"\u0418\u0437\u043F\u0440\u0430\u0442\u0438",quickReplies:"\u0411\u044A\u0440\u0437\u0438 \u043E\u0442\u0433\u043E\u0432\u043E\u0440\u0438",typing:"\u0410\u0441\u0438\u0441\u0442\u0435\u043D\u0442\u044A\u0442 \u043F\u0438\u0448\u0435\u2026",connecting:"\u0421\u0432\u044A\u0440\u0437\u0432\u0430\u043D\u0435\u2026",reconnecting:"\u0412\u0440\u044A\u0437\u043A\u0430\u0442\u0430 \u043F\u0440\u0435\u043A\u044A\u0441\u043D\u0430. \u0421\u0432\u044A\u0440\u0437\u0432\u0430\u043D\u0435 \u043E\u0442\u043D\u043E\u0432\u043E\u2026",you:"\u0412\u0438\u0435",bot:"\u0410\u0441\u0438\u0441\u0442\u0435\u043D\u0442",newTab:"(\u043E\u0442\u0432\u0430\u0440\u044F \u0441\u0435 \u0432 \u043D\u043E\u0432 \u0440\u0430\u0437\u0434\u0435\u043B)",agent:"\u0442\u0435\u0445\u043D\u0438\u0447\u0435\u0441\u043A\u0430 \u043F\u043E\u0434\u0434\u0440\u044A\u0436\u043A\u0430"},en:{greeting:"Hello! I'm a bot \u2013 TEA's virtual email assistant. I can help you choose between POP3 and IMAP, with a full mailbox, mail on several devices and setting up an email program. Write to me in Bulgarian or in English.",launcher:"Chat with the assistant",title:"TEA assistant",subtitle:"Bot \xB7 email",language:"Conversation language",close:"Close the chat",inputLabel:"Your message",placeholder:"Type a question\u2026",send:"Send",quickReplies:"Quick replies",typing:"The assistant is typing\u2026",connecting:"Connecting\u2026",reconnecting:"Connection lost. Reconnecting\u2026",you:"You",bot:"Assistant",newTab:"(opens in a new tab)",agent:"technical support"}};var ge=["bg","en"],cn="http://localhost:5005",Et=200,hn=3e4,ln=/https?:\/\/[^\s<>"'«»„“]+/g,un=/[.,;:!?)\]}]+$/,fn=document.currentScript;function ye(n){let t=String(n||"").slice(0,2).toLowerCase();return ge.includes(t)?t:"bg"}function be(n){try{let t=new URL(n);return t.protocol==="http:"||t.protocol==="https:"?t.origin:null}catch{return null}}function pn(n){let t=n&&n.dataset||{};return{rasaOrigin:be(t.rasaUrl)||cn,socketPath:t.socketPath||"/socket.io/",lang:ye(t.lang||document.documentElement.lang)}}function dn(n){return{load(){try{return JSON.parse(window.localStorage.getItem(n)||"{}")||{}}catch{return{}}},save(t){try{let e=t.history.filter(r=>!r.pending).slice(-Et);window.localStorage.setItem(n,JSON.stringify({...t,history:e}))}catch{}}}}function _e(n){return(Array.isArray(n)?n:[]).filter(t=>t&&typeof t.title=="string"&&typeof t.payload=="string").map(({title:t,payload:e})=>({title:t,payload:e}))}function mn(n){return(Array.isArray(n)?n:[]).filter(t=>t&&["bot","user","agent"].includes(t.from)&&typeof t.text=="string").map(t=>({from:t.from,text:t.text,buttons:_e(t.buttons),...xe(t)}))}function xe(n){let t=n.from==="agent"&&typeof n.agent=="string"?n.agent.slice(0,100):"";return t?{agent:t}:{}}function u(n,t={},...e){let r=document.createElement(n);for(let[s,i]of Object.entries(t))i===!1||i==null||(s==="text"?r.textContent=i:s.startsWith("on")?r.addEventListener(s.slice(2),i):r.setAttribute(s,i===!0?"":String(i)));return r.append(...e.filter(Boolean)),r}function kt(n){let t="http://www.w3.org/2000/svg",e=document.createElementNS(t,"svg");e.setAttribute("viewBox","0 0 24 24"),e.setAttribute("aria-hidden","true"),e.setAttribute("focusable","false");let r=document.createElementNS(t,"path");return r.setAttribute("d",n),e.append(r),e}var gn="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",yn="M6 6l12 12M18 6L6 18",bn="M3 20l18-8L3 4v6l12 2-12 2z";function _n(n,t,e){let r=0;for(let s of t.matchAll(ln)){let i=s[0].replace(un,"");if(!be(i))continue;n.append(t.slice(r,s.index));let a=u("a",{href:i,target:"_blank",rel:"noopener noreferrer"},i);a.append(u("span",{class:"sr-only",text:` ${e}`})),n.append(a),r=s.index+i.length}n.append(t.slice(r))}function me(n){let t=dn(`tea-chat:${n.rasaOrigin}`),e=t.load(),r={sessionId:typeof e.sessionId=="string"&&e.sessionId?e.sessionId:null,lang:ye(e.lang||n.lang),open:e.open===!0,history:mn(e.history),withAgent:e.withAgent===!0},s=()=>t.save(r),i=o=>de[r.lang][o],a=null,c=!1,f=!1,_=0,m=[],x=[],g=(o,h,d)=>(x.push([o,h,d]),o),we=g(u("span",{class:"launcher-text"}),"text","launcher"),Y=u("button",{type:"button",class:"launcher","aria-controls":"tea-chat-panel","aria-expanded":"false"},kt(gn),we),ve=g(u("h2",{id:"tea-chat-title",class:"title"}),"text","title"),ke=g(u("p",{class:"subtitle"}),"text","subtitle"),Tt=ge.map(o=>u("button",{type:"button",class:"lang",lang:o,"aria-label":o==="bg"?"\u0411\u044A\u043B\u0433\u0430\u0440\u0441\u043A\u0438":"English",onclick:()=>Be(o)},o==="bg"?"\u0411\u0413":"EN")),Ee=g(u("div",{class:"langs",role:"group"},...Tt),"aria-label","language"),Te=g(u("button",{type:"button",class:"icon-button close",onclick:()=>J(!1)},kt(yn)),"aria-label","close"),O=u("p",{class:"status",role:"status",hidden:!0}),At=u("div",{class:"log",role:"log","aria-live":"polite","aria-relevant":"additions"}),rt=g(u("div",{class:"quick",role:"group"}),"aria-label","quickReplies"),Ae=g(u("span",{class:"sr-only"}),"text","typing"),St=u("div",{class:"typing",hidden:!0},u("span",{class:"dot"}),u("span",{class:"dot"}),u("span",{class:"dot"}),Ae),st=u("div",{class:"body"},At,rt,St),Se=g(u("label",{for:"tea-chat-input",class:"sr-only"}),"text","inputLabel"),q=g(u("input",{id:"tea-chat-input",class:"input",type:"text",autocomplete:"off",maxlength:"2000"}),"placeholder","placeholder"),Re=g(u("button",{type:"submit",class:"icon-button send"},kt(bn)),"aria-label","send"),Ce=u("form",{class:"composer",onsubmit:Ne},Se,q,Re),it=u("section",{id:"tea-chat-panel",class:"panel",role:"dialog","aria-labelledby":"tea-chat-title",hidden:!0},u("header",{class:"header"},u("div",{class:"heading"},ve,ke),Ee,Te),O,st,Ce),Rt=u("div",{class:"frame"},it,Y),Ct=u("div",{id:"tea-chat-widget"});Ct.attachShadow({mode:"open"}).append(u("style",{text:pe}),Rt),document.body.append(Ct),Y.addEventListener("click",()=>J(!r.open)),it.addEventListener("keydown",o=>{o.key==="Escape"&&(o.preventDefault(),J(!1))});function Ot(){for(let[o,h,d]of x)h==="text"?o.textContent=i(d):o.setAttribute(h,i(d));for(let o of Tt)o.setAttribute("aria-pressed",String(o.lang===r.lang));O.hidden||ot(O.dataset.key)}function ot(o){O.hidden=!o,O.dataset.key=o||"",O.textContent=o?i(o):""}function at(){st.scrollTop=st.scrollHeight}let ct=new Map;function Nt(o){let h=u("div",{class:`bubble ${o.from}`});if(o.from==="agent"?(h.append(u("span",{class:"agent-name",text:`${o.agent||i("agent")} \xB7 ${i("agent")}`})),h.append(u("span",{class:"sr-only",text:": "}))):h.append(u("span",{class:"sr-only",text:`${i(o.from==="user"?"you":"bot")}: `})),o.from!=="user")_n(h,o.text,i("newTab"));else{let d=document.createTextNode(o.text);h.append(d),o.pending&&ct.set(o.id,d)}At.append(u("div",{class:`row ${o.from}`},h))}function Oe(o){if(!o||typeof o.message_id!="string")return;let h=r.history.find(d=>d.id===o.message_id);if(h){if(o.masked&&typeof o.text=="string"){h.text=o.text;let d=ct.get(h.id);d&&(d.textContent=o.text)}delete h.pending,ct.delete(h.id),s()}}function Bt(){rt.replaceChildren();let o=r.history[r.history.length-1];if(!(!o||o.from!=="bot"))for(let h of o.buttons)rt.append(u("button",{type:"button",class:"reply",onclick:()=>Pt(h.title,h.payload)},h.title))}function $(o){r.history.push(o),r.history.length>Et&&r.history.splice(0,r.history.length-Et),s(),Nt(o),Bt(),at()}function ht(o){window.clearTimeout(_),St.hidden=!o,o&&(_=window.setTimeout(()=>ht(!1),hn),at())}function Lt(o,h){ht(!r.withAgent);let d={message:o,message_id:h};c?a.emit("user_uttered",{...d,session_id:r.sessionId}):m.push(d),qt()}function Pt(o,h){let d=`${Date.now().toString(36)}-${Math.random().toString(36).slice(2,10)}`;$({from:"user",text:o,buttons:[],id:d,pending:!0}),Lt(h,d),q.focus()}function Ne(o){o.preventDefault();let h=q.value.trim();h&&(q.value="",Pt(h,h))}function Be(o){o!==r.lang&&(r.lang=o,s(),Ot(),Lt(`/switch_language{"target_language": "${o}"}`))}function Le(o){if(!o||typeof o!="object")return;let h=typeof o.text=="string"?o.text:"",d=_e(o.quick_replies||o.buttons);if(!h&&!d.length)return;ht(!1),(o.takeover==="claim"||o.takeover==="release")&&(r.withAgent=o.takeover==="claim");let It=o.agent&&typeof o.agent.name=="string"?o.agent.name:"";$(It?{from:"agent",text:h,buttons:[],...xe({from:"agent",agent:It})}:{from:"bot",text:h,buttons:d})}function qt(){if(a)return;a=K(n.rasaOrigin,{path:n.socketPath,reconnectionDelayMax:5e3}),a.on("connect",()=>a.emit("session_request",{session_id:r.sessionId})),a.on("session_confirm",h=>{for(typeof h=="string"&&h&&(r.sessionId=h),s(),c=!0,f=!0,ot(null);m.length;)a.emit("user_uttered",{...m.shift(),session_id:r.sessionId})}),a.on("bot_uttered",Le),a.on("user_uttered_ack",Oe);let o=()=>{c=!1,ot(f?"reconnecting":"connecting")};a.on("connect_error",o),a.on("disconnect",h=>{o(),h==="io server disconnect"&&a.connect()})}function J(o,{focus:h=!0}={}){r.open=o,s(),it.hidden=!o,Rt.classList.toggle("is-open",o),Y.setAttribute("aria-expanded",String(o)),o?(r.history.length||$({from:"bot",text:i("greeting"),buttons:[]}),qt(),at(),h&&q.focus()):h&&Y.focus()}Ot();for(let o of r.history)Nt(o);Bt(),r.open&&J(!0,{focus:!1})}if(!window.__teaChatWidget){window.__teaChatWidget=!0;let n=pn(fn);document.body?me(n):document.addEventListener("DOMContentLoaded",()=>me(n))}})();
