// The agent page: Suggest, Handoffs (with transcripts, resolve, erase) and Analytics over /agent/api/,
// kept up to date by the server's live events (EventSource on /agent/api/events).
// Every piece of data becomes DOM through textContent / text nodes, never through HTML:
// customer messages show literally, whatever they contain.
"use strict";

(() => {
  const VIEWS = ["suggest", "handoffs", "conversation", "analytics"];
  const LANGUAGES = { bg: "Български", en: "English" };
  const REASONS = {
    requested: "Asked for a person",
    repeated_failure: "Bot did not understand",
    fault: "Fault the bot cannot fix",
  };
  const SVG = "http://www.w3.org/2000/svg";
  const $ = (id) => document.getElementById(id);

  // el("p", { class: "x", text: "..." }, child, "text", ...): attributes are set as attributes,
  // strings become text nodes.
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    node.append(...children.filter((child) => child !== null && child !== undefined));
    return node;
  }

  function svg(tag, attrs = {}) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
    return node;
  }

  async function api(path, options = {}) {
    const response = await fetch(path, {
      credentials: "same-origin",
      ...options,
      headers: { Accept: "application/json", "X-Requested-With": "tea-agent" },
    });
    if (response.status === 401) {
      window.location.assign("/agent/login");
      throw new Error("Signed out.");
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.error || `The server answered ${response.status}.`);
    return body;
  }

  function status(id, text, isError = false) {
    const node = $(id);
    node.textContent = text || "";
    node.classList.toggle("error", Boolean(isError));
  }

  const percent = (value) => (value === null || value === undefined ? "n/a" : `${(value * 100).toFixed(1)}%`);
  const when = (iso) => (iso ? new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" }) : "");
  const safeUrl = (url) => (/^https?:\/\//i.test(url || "") ? url : null);

  function bar(share) {
    const fill = el("span", { class: "fill" });
    fill.style.width = `${Math.max(0, Math.min(1, share)) * 100}%`; // CSSOM: allowed by the CSP
    return el("span", { class: "bar", "aria-hidden": "true" }, fill);
  }

  function chip(text, kind = "") {
    return el("span", { class: `chip ${kind}`.trim(), text });
  }

  // --- views -------------------------------------------------------------------------------
  function show(view) {
    for (const name of VIEWS) $(`view-${name}`).hidden = name !== view;
    const current = view === "conversation" ? "handoffs" : view;
    for (const link of document.querySelectorAll("nav a[data-view]")) {
      if (link.dataset.view === current) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
  }

  const visible = (view) => !$(`view-${view}`).hidden;

  function route() {
    const hash = window.location.hash.slice(1);
    if (hash.startsWith("conversation/")) {
      show("conversation");
      openConversation(decodeURIComponent(hash.slice("conversation/".length)));
    } else if (hash === "handoffs") {
      show("handoffs");
      loadHandoffs();
      loadCallbacks();
    } else if (hash === "analytics") {
      show("analytics");
      loadAnalytics();
    } else {
      show("suggest");
      $("q").focus();
    }
  }

  // --- Suggest -----------------------------------------------------------------------------
  async function onSuggest(event) {
    event.preventDefault();
    const query = $("q").value.trim();
    if (!query) return;
    status("suggest-status", "Asking the assistant…");
    $("suggest-result").replaceChildren();
    try {
      const result = await api(`/agent/api/suggest?q=${encodeURIComponent(query)}`);
      status("suggest-status", "");
      renderSuggestion(result);
    } catch (error) {
      status("suggest-status", error.message, true);
    }
  }

  function copyButton(getText) {
    const button = el("button", { type: "button", class: "copy", text: "Copy" });
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(getText());
        button.textContent = "Copied ✓";
      } catch (error) {
        button.textContent = "Copy failed: select the text";
      }
      setTimeout(() => (button.textContent = "Copy"), 2500);
    });
    return button;
  }

  function renderSuggestion(result) {
    const understanding = el("section", { class: "card understanding" }, el("h2", { text: "What the assistant understood" }));
    if (result.password_masked) {
      understanding.append(el("p", { class: "notice", text: "A password in the message was masked before anything else saw it." }));
    }
    const intents = el("table", { class: "bars" });
    for (const intent of result.intents) {
      intents.append(
        el(
          "tr",
          {},
          el("th", { scope: "row", text: intent.name }),
          el("td", {}, bar(intent.confidence)),
          el("td", { class: "num", text: percent(intent.confidence) }),
        ),
      );
    }
    understanding.append(intents);
    const facts = el("p", { class: "facts" }, chip(`language: ${result.language || "undecided"}`));
    for (const entity of result.entities) facts.append(chip(`${entity.entity}: ${entity.display}`, "entity"));
    understanding.append(facts);
    if (result.low_confidence) {
      understanding.append(el("p", { class: "warning", text: "Low confidence: check the suggestion before you send it." }));
    }
    if (result.needs_protocol) {
      understanding.append(el("p", { class: "warning", text: "No protocol named: the assistant would ask POP3 or IMAP first." }));
    }

    const answers = el("div", { class: "answers" });
    for (const [lang, answer] of Object.entries(result.answers)) {
      const text = el("div", { class: "answer-text", lang, text: answer.text });
      answers.append(
        el(
          "section",
          { class: "card answer", "data-lang": lang },
          el("header", {}, el("h2", { text: `${LANGUAGES[lang] || lang} (${lang})` }), copyButton(() => answer.text)),
          text,
        ),
      );
    }
    if (!Object.keys(result.answers).length) {
      answers.append(el("p", { class: "card", text: "The knowledge base has no answer for this message." }));
    }

    const links = el("section", { class: "card links" }, el("h2", { text: "Article links" }));
    const list = el("ul");
    for (const link of result.links) {
      const href = safeUrl(link.url);
      const titles = Object.values(link.title).join(" / ");
      list.append(
        el(
          "li",
          {},
          href ? el("a", { href, target: "_blank", rel: "noopener noreferrer", text: titles }) : titles,
          " ",
          el("span", { class: "muted", text: link.url }),
          " ",
          copyButton(() => link.url),
        ),
      );
    }
    if (!result.links.length) list.append(el("li", { class: "muted", text: "No article for this answer." }));
    links.append(list);
    $("suggest-result").replaceChildren(understanding, answers, links);
  }

  // --- Handoffs ----------------------------------------------------------------------------
  // Paged (GET /agent/api/handoffs?limit=&before=&open=): the first page on every load, then
  // "Show more" appends the next one; a reload keeps as many rows as were shown (up to 200).
  let handoffRows = [];
  let handoffNext = null;

  function handoffRow(item) {
    return el(
      "tr",
      { class: item.resolved ? "resolved" : "open" },
      el("td", {}, el("time", { datetime: item.time, text: when(item.time) })),
      el("td", {}, el("a", { href: `#conversation/${encodeURIComponent(item.sender_id)}`, class: "sender", text: item.sender_id })),
      el("td", { text: item.channel }),
      el("td", { text: item.language }),
      el(
        "td",
        {},
        REASONS[item.reason] || item.reason,
        ...(item.summary ? [el("br"), el("q", { class: "summary", text: item.summary })] : []),
      ),
      el(
        "td",
        {},
        chip(item.resolved ? "Resolved" : "Open", item.resolved ? "ok" : "open"),
        item.claimed_by ? " " : null,
        item.claimed_by ? chip(`Claimed by ${item.claimed_by}`, "claimed") : null,
      ),
      el("td", { class: "case", text: item.case_number || "—" }),
    );
  }

  function handoffQuery(before, limit) {
    const query = new URLSearchParams({ limit: String(limit) });
    if ($("handoffs-open-only").checked) query.set("open", "1");
    if (before) query.set("before", before);
    const caseNumber = $("handoffs-case").value.trim();
    if (caseNumber) query.set("case", caseNumber);
    return `/agent/api/handoffs?${query}`;
  }

  async function loadHandoffs(more = false) {
    try {
      const append = more === true && handoffNext;
      const limit = append ? 50 : Math.min(200, Math.max(50, handoffRows.length));
      const page = await api(handoffQuery(append ? handoffNext : null, limit));
      handoffRows = append ? handoffRows.concat(page.handoffs) : page.handoffs;
      handoffNext = page.next;
      const body = $("handoffs-table").tBodies[0];
      body.replaceChildren(...handoffRows.map(handoffRow));
      if (!handoffRows.length) body.append(el("tr", {}, el("td", { colspan: 7, class: "muted", text: "No handed-over conversations." })));
      $("handoffs-more").hidden = !handoffNext;
      status(
        "handoffs-status",
        `${page.open} open, ${page.total - page.open} resolved; showing ${handoffRows.length}. Updated ${when(new Date().toISOString())}.`,
      );
    } catch (error) {
      status("handoffs-status", error.message, true);
    }
  }

  // --- callback requests (left with the customer's consent) -------------------------------
  async function loadCallbacks() {
    try {
      const { callbacks } = await api("/agent/api/callbacks");
      const body = $("callbacks-table").tBodies[0];
      body.replaceChildren(
        ...callbacks.map((item) =>
          el(
            "tr",
            {},
            el("td", {}, el("time", { datetime: item.consent_at, text: when(item.consent_at) })),
            el("td", { class: "case", text: item.case_number || "—" }),
            el("td", { class: "contact", text: item.contact }),
            el("td", { text: item.language || "" }),
            el("td", {}, el("a", { href: `#conversation/${encodeURIComponent(item.sender_id)}`, class: "sender", text: item.sender_id })),
          ),
        ),
      );
      if (!callbacks.length) body.append(el("tr", {}, el("td", { colspan: 5, class: "muted", text: "No callback requests." })));
      status("callbacks-status", "");
    } catch (error) {
      status("callbacks-status", error.message, true);
    }
  }

  // --- a conversation ----------------------------------------------------------------------
  let current = null;

  async function openConversation(senderId) {
    current = senderId;
    $("conversation-meta").replaceChildren();
    $("transcript").replaceChildren();
    $("resolve-button").disabled = true;
    eraseButton().disabled = true;
    for (const id of ["claim-button", "release-button", "reply-text", "reply-send"]) $(id).disabled = true;
    status("takeover-state", "");
    status("conversation-status", "Loading…");
    try {
      const conversation = await api(`/agent/api/conversations/${encodeURIComponent(senderId)}`);
      if (current !== senderId) return;
      status("conversation-status", "");
      renderConversation(conversation);
    } catch (error) {
      status("conversation-status", error.message, true);
    }
  }

  // A live update of the open conversation: re-rendered in place (no "Loading…", status kept).
  async function refreshConversation() {
    const senderId = current;
    if (!senderId || !visible("conversation")) return;
    try {
      const conversation = await api(`/agent/api/conversations/${encodeURIComponent(senderId)}`);
      if (current === senderId && visible("conversation")) renderConversation(conversation);
    } catch (error) {
      // Erased meanwhile, or the store is down: what is on the screen stays; the next event retries.
    }
  }

  function renderConversation(conversation) {
    const handoff = conversation.handoff;
    const meta = [
      ["Conversation", conversation.sender_id],
      ["Channel", conversation.channel],
      ["Language", conversation.language],
      ["Handed over", handoff ? `${when(handoff.time)}: ${REASONS[handoff.reason] || handoff.reason}` : "no"],
      ["Case", handoff && handoff.case_number ? handoff.case_number : "—"],
      ["Status", handoff ? (handoff.resolved ? `Resolved by ${handoff.resolved_by}, ${when(handoff.resolved_at)}` : "Open") : "—"],
    ];
    $("conversation-meta").replaceChildren(...meta.flatMap(([term, value]) => [el("dt", { text: term }), el("dd", { text: value })]));
    $("resolve-button").disabled = !handoff || handoff.resolved;
    eraseButton().disabled = false;
    $("transcript").replaceChildren(...conversation.messages.map((message) => renderMessage(message, conversation.language)));
    renderTakeover(conversation.takeover);
  }

  function renderMessage(message, language) {
    const time = el("time", { datetime: message.time, text: when(message.time) });
    if (message.type === "handoff") {
      return el("li", { class: "event" }, `Handed over to a person: ${REASONS[message.reason] || message.reason} · `, time);
    }
    if (message.type === "session") return el("li", { class: "event session" }, "New session · ", time);
    let who = message.type === "user" ? (message.payload ? "Customer (button)" : "Customer") : "Bot";
    if (message.type === "agent") who = `Agent ${message.agent}`; // a person's message, not the bot's
    else if (message.takeover) who = `Bot (${message.takeover === "claim" ? "agent joined" : "agent left"} notice)`;
    const item = el("li", { class: `msg ${message.type}` }, el("p", { class: "who" }, `${who} · `, time), el("p", { class: "text", text: message.text }));
    if (message.type === "user") {
      const intent = message.intent || {};
      const nlu = el(
        "p",
        { class: "nlu" },
        "Understood: ",
        chip(`${intent.name || "?"} ${percent(intent.confidence)}`, intent.name === "nlu_fallback" || (intent.confidence ?? 0) < 0.5 ? "low" : "intent"),
      );
      for (const entity of message.entities) nlu.append(" ", chip(`${entity.entity}: ${entity.value}`, "entity"));
      item.append(nlu, assist(message, language));
    } else if (message.buttons.length) {
      item.append(el("p", { class: "buttons" }, ...message.buttons.map((button) => chip(button.title, "button"))));
    }
    return item;
  }

  async function resolveCurrent() {
    const senderId = current;
    $("resolve-button").disabled = true;
    try {
      await api(`/agent/api/conversations/${encodeURIComponent(senderId)}/resolve`, { method: "POST" });
      status("conversation-status", "Marked resolved.");
      await openConversation(senderId);
      status("conversation-status", "Marked resolved.");
    } catch (error) {
      status("conversation-status", error.message, true);
      $("resolve-button").disabled = false;
    }
  }

  // GDPR erasure: the button sits next to "Mark resolved" (created here: the page shell is
  // bot/agent/pages.py). Everything stored about the customer goes, after a confirmation.
  function eraseButton() {
    let button = $("erase-button");
    if (!button) {
      button = el("button", {
        type: "button",
        id: "erase-button",
        class: "danger",
        text: "Erase conversation",
        title: "Delete everything stored about this customer (erasure request)",
        disabled: true,
      });
      $("resolve-button").after(" ", button);
    }
    return button;
  }

  async function eraseCurrent() {
    const senderId = current;
    if (!senderId) return;
    const question =
      `Erase conversation ${senderId}?\n\n` +
      "Every message, reply, handoff and resolution stored for this customer is deleted for good.";
    if (!window.confirm(question)) return;
    eraseButton().disabled = true;
    $("resolve-button").disabled = true;
    status("conversation-status", "Erasing…");
    try {
      const result = await api(`/agent/api/conversations/${encodeURIComponent(senderId)}/erase`, { method: "POST" });
      if (current !== senderId) return;
      $("conversation-meta").replaceChildren();
      $("transcript").replaceChildren();
      status("conversation-status", `Conversation erased: ${result.events} events and ${result.agent_records} agent records deleted.`);
    } catch (error) {
      status("conversation-status", error.message, true);
      eraseButton().disabled = false;
    }
  }

  // --- live takeover: claim, reply, release (docs/agent-api.md) --------------------------------
  const me = () => document.body.dataset.user || "";
  let claim = null; // the open conversation's claim, as the server last said

  function renderTakeover(takeover) {
    claim = (takeover && takeover.claim) || null;
    const mine = Boolean(claim && claim.agent === me());
    $("claim-button").disabled = Boolean(claim);
    $("release-button").disabled = !mine;
    $("reply-text").disabled = !mine;
    $("reply-send").disabled = !mine;
    $("takeover").classList.toggle("mine", mine);
    let text = "The assistant is answering. Claim the conversation to talk to the customer yourself.";
    if (mine) text = `You hold this conversation since ${when(claim.claimed_at)}: the assistant is paused, the customer sees your replies as ${claim.display_name}.`;
    else if (claim) text = `Claimed by ${claim.agent} since ${when(claim.claimed_at)}: the assistant is paused.`;
    status("takeover-state", text);
  }

  async function takeoverStep(step, body) {
    const senderId = current;
    if (!senderId) return null;
    const options = { method: "POST" };
    if (body) options.body = JSON.stringify(body);
    try {
      const result = await api(`/agent/api/conversations/${encodeURIComponent(senderId)}/${step}`, options);
      await refreshConversation();
      return result;
    } catch (error) {
      status("takeover-state", error.message, true);
      await refreshConversation();
      return null;
    }
  }

  async function onReply(event) {
    event.preventDefault();
    const text = $("reply-text").value.trim();
    if (!text) return;
    $("reply-send").disabled = true;
    if (await takeoverStep("reply", { text })) $("reply-text").value = "";
    $("reply-send").disabled = !(claim && claim.agent === me());
  }

  // Agent assist: for a customer message, the assistant's reading (top intents) and its suggested
  // answer in the customer's language, with the article links and "Insert" into the reply box.
  // Suggestions are cached by text: a live refresh re-renders without asking again.
  const suggestions = new Map();

  function suggestionFor(text) {
    if (!suggestions.has(text)) {
      const asked = api(`/agent/api/suggest?q=${encodeURIComponent(text)}`);
      asked.catch(() => suggestions.delete(text)); // asked again next time
      suggestions.set(text, asked);
    }
    return suggestions.get(text);
  }

  function insertText(answer) {
    // The answer names its article already, as the bot sends it; other links are added.
    const links = answer.links.filter((link) => !answer.text.includes(link.url)).map((link) => `${link.title}: ${link.url}`);
    return [answer.text, ...links].join("\n");
  }

  function assist(message, language) {
    const box = el("div", { class: "assist" });
    const reading = el("p", { class: "reading" }, "Assistant's reading: ");
    for (const intent of message.intent_ranking || []) reading.append(chip(`${intent.name} ${percent(intent.confidence)}`, "intent"), " ");
    const suggestion = el("div", { class: "suggestion" }, el("span", { class: "muted", text: "Suggested answer: asking the assistant…" }));
    box.append(reading, suggestion);
    if (!message.text) return box;
    suggestionFor(message.text).then(
      (result) => {
        const lang = result.answers[language] ? language : result.language && result.answers[result.language] ? result.language : Object.keys(result.answers)[0];
        const answer = result.answers[lang];
        if (!answer) {
          suggestion.replaceChildren(el("span", { class: "muted", text: "Suggested answer: the knowledge base has none for this message." }));
          return;
        }
        const insert = el("button", { type: "button", class: "insert", text: "Insert" });
        insert.addEventListener("click", () => {
          const box = $("reply-text");
          box.value = box.value ? `${box.value}\n${insertText(answer)}` : insertText(answer);
          box.focus();
        });
        const links = el("ul", { class: "links" });
        for (const link of answer.links) {
          const href = safeUrl(link.url);
          links.append(el("li", {}, href ? el("a", { href, target: "_blank", rel: "noopener noreferrer", text: link.title }) : link.title));
        }
        suggestion.replaceChildren(
          el("p", { class: "suggested-head" }, `Suggested answer (${lang})${result.low_confidence ? ", low confidence" : ""} `, insert),
          el("p", { class: "answer-text", lang, text: answer.text }),
          links,
        );
      },
      (error) => suggestion.replaceChildren(el("span", { class: "muted", text: `Suggested answer unavailable: ${error.message}` })),
    );
    return box;
  }

  // --- Analytics ---------------------------------------------------------------------------
  async function loadAnalytics() {
    const days = $("analytics-days").value;
    const query = days ? `?days=${encodeURIComponent(days)}` : "";
    $("analytics-csv").setAttribute("href", `/agent/api/analytics.csv${query}`);
    status("analytics-status", "Loading…");
    try {
      const report = await api(`/agent/api/analytics${query}`);
      status("analytics-status", `Generated ${when(report.generated_at)}.`);
      renderAnalytics(report);
    } catch (error) {
      status("analytics-status", error.message, true);
    }
  }

  function card(label, value, note) {
    return el("div", { class: "stat" }, el("span", { class: "label", text: label }), el("strong", { text: value }), note ? el("span", { class: "muted", text: note }) : null);
  }

  function barTable(title, counts, total, wide = false) {
    const entries = Object.entries(counts);
    const max = Math.max(1, ...entries.map(([, count]) => count));
    const table = el("table", { class: "bars" }, el("caption", { text: title }));
    for (const [name, count] of entries) {
      const share = total ? ` (${percent(count / total)})` : "";
      table.append(el("tr", {}, el("th", { scope: "row", text: name }), el("td", {}, bar(count / max)), el("td", { class: "num", text: `${count}${share}` })));
    }
    if (!entries.length) table.append(el("tr", {}, el("td", { class: "muted", text: "No data yet." })));
    return el("section", { class: wide ? "card wide" : "card" }, table);
  }

  function dayChart(perDay) {
    const entries = Object.entries(perDay);
    const section = el("section", { class: "card wide" }, el("h2", { text: "Conversations per day" }));
    if (!entries.length) {
      section.append(el("p", { class: "muted", text: "No data yet." }));
      return section;
    }
    const width = 640;
    const height = 180;
    const pad = 24;
    const max = Math.max(...entries.map(([, count]) => count));
    const step = (width - 2 * pad) / entries.length;
    const chart = svg("svg", { viewBox: `0 0 ${width} ${height + 20}`, class: "chart", role: "img" });
    chart.setAttribute("aria-label", entries.map(([day, count]) => `${day}: ${count}`).join(", "));
    chart.append(svg("line", { x1: pad, y1: height, x2: width - pad, y2: height, class: "axis" }));
    const barWidth = Math.min(step * 0.7, 56);
    entries.forEach(([day, count], index) => {
      const barHeight = ((height - pad) * count) / max;
      const x = pad + index * step + (step - barWidth) / 2;
      const rect = svg("rect", { x, y: height - barHeight, width: barWidth, height: barHeight, rx: 3, class: "column" });
      const tip = svg("title");
      tip.textContent = `${day}: ${count}`;
      rect.append(tip);
      const value = svg("text", { x: x + barWidth / 2, y: height - barHeight - 4, "text-anchor": "middle", class: "value" });
      value.textContent = String(count);
      chart.append(rect, value);
      if (entries.length <= 14 || index === 0 || index === entries.length - 1) {
        const label = svg("text", { x: x + barWidth / 2, y: height + 15, "text-anchor": "middle", class: "label" });
        label.textContent = day.slice(5);
        chart.append(label);
      }
    });
    section.append(chart);
    return section;
  }

  function renderAnalytics(report) {
    const conversations = report.conversations;
    const stats = el(
      "div",
      { class: "stats" },
      card("Conversations", String(conversations.total)),
      card("Containment", percent(report.containment_rate), `${conversations.contained} without a handoff`),
      card("Handed over", String(conversations.handed_over)),
      card("Fallback rate", percent(report.fallback_rate), `${report.messages.fallback} of ${report.messages.user} messages`),
      card("Customer messages", String(report.messages.user)),
    );
    const missed = el(
      "table",
      { class: "data" },
      el("caption", { text: `Unanswered or low-confidence messages (nlu_fallback or confidence < ${report.low_confidence_threshold})` }),
      el("thead", {}, el("tr", {}, el("th", { text: "Message" }), el("th", { text: "Times" }), el("th", { text: "Intent" }))),
    );
    const body = el("tbody");
    for (const item of report.unanswered) {
      body.append(el("tr", {}, el("td", { class: "text", text: item.text }), el("td", { class: "num", text: String(item.count) }), el("td", { text: item.intent })));
    }
    if (!report.unanswered.length) body.append(el("tr", {}, el("td", { colspan: 3, class: "muted", text: "None." })));
    missed.append(body);
    $("analytics-body").replaceChildren(
      stats,
      el(
        "div",
        { class: "grid" },
        dayChart(conversations.per_day),
        barTable("Conversations per channel", conversations.per_channel, conversations.total),
        barTable("Conversations per language", conversations.per_language, conversations.total),
        barTable("Top intents (customer messages)", report.top_intents, report.messages.user, true),
      ),
      el("section", { class: "card wide" }, missed),
    );
  }

  // --- live updates ------------------------------------------------------------------------
  // The server pushes `handoff` and `message` events (docs/agent-api.md). EventSource
  // reconnects by itself and sends Last-Event-ID, so the server replays what was missed;
  // a `resync` (too much missed) or a refused stream reloads what is on the screen.
  let live = null;
  let connectedBefore = false;
  const timers = {};

  function soon(key, work) {
    // A burst of events (a reply is several messages) becomes one reload.
    clearTimeout(timers[key]);
    timers[key] = setTimeout(work, 200);
  }

  function liveStatus(on, text) {
    const node = $("live");
    node.textContent = text;
    node.classList.toggle("on", on);
  }

  function reloadVisible() {
    if (visible("handoffs")) soon("handoffs", loadHandoffs);
    if (visible("conversation")) soon("conversation", refreshConversation);
  }

  function connectLive() {
    live = new EventSource("/agent/api/events");
    live.addEventListener("open", () => {
      liveStatus(true, "Live");
      if (connectedBefore) reloadVisible(); // back after a break: catch up with the lists
      connectedBefore = true;
    });
    live.addEventListener("handoff", (event) => {
      const data = JSON.parse(event.data);
      if (visible("handoffs")) soon("handoffs", loadHandoffs);
      if (visible("conversation") && data.sender_id === current) soon("conversation", refreshConversation);
    });
    live.addEventListener("message", (event) => {
      const data = JSON.parse(event.data);
      // A callback request is stored as the bot confirms it: its list may have grown.
      if (visible("handoffs") && data.sender === "bot") soon("callbacks", loadCallbacks);
      // A claim or release (its notice to the customer): the queue's "Claimed by" changes.
      if (data.message && data.message.takeover && visible("handoffs")) soon("handoffs", loadHandoffs);
      if (visible("conversation") && data.sender_id === current) soon("conversation", refreshConversation);
    });
    live.addEventListener("resync", reloadVisible);
    live.addEventListener("error", () => {
      liveStatus(false, "Reconnecting…");
      if (live.readyState !== EventSource.CLOSED) return; // EventSource retries by itself
      // Refused (signed out, server restarting): api() goes to the login page on a 401.
      live = null;
      api("/agent/api/handoffs").then(
        () => setTimeout(connectLive, 3000),
        () => setTimeout(connectLive, 15000),
      );
    });
  }

  // --- start -------------------------------------------------------------------------------
  document.addEventListener("DOMContentLoaded", () => {
    $("suggest-form").addEventListener("submit", onSuggest);
    $("q").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) $("suggest-form").requestSubmit();
    });
    $("handoffs-refresh").addEventListener("click", () => loadHandoffs());
    $("handoffs-open-only").addEventListener("change", () => {
      handoffRows = [];
      loadHandoffs();
    });
    $("handoffs-more").addEventListener("click", () => loadHandoffs(true));
    const searchCase = () => {
      handoffRows = [];
      loadHandoffs();
    };
    $("handoffs-case").addEventListener("search", searchCase);
    $("handoffs-case").addEventListener("keydown", (event) => {
      if (event.key === "Enter") searchCase();
    });
    $("resolve-button").addEventListener("click", resolveCurrent);
    eraseButton().addEventListener("click", eraseCurrent);
    $("claim-button").addEventListener("click", () => takeoverStep("claim"));
    $("release-button").addEventListener("click", () => takeoverStep("release"));
    $("reply-form").addEventListener("submit", onReply);
    $("reply-text").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) $("reply-form").requestSubmit();
    });
    $("analytics-days").addEventListener("change", loadAnalytics);
    window.addEventListener("hashchange", route);
    route();
    connectLive();
  });
})();
