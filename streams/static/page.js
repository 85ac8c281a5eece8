// The live page of tolls. Every figure shown comes from the worker's read-only /query
// endpoint (the same rows `tolls query` returns) and the worker's state from /health; the
// page polls both every second and redraws the view when the tables changed.
//
// The address fragment holds the view: `#event=<id>` opens an event, `&claim=<id>` points
// at one of its claims, `#token=<token>` hands the page the endpoint's bearer token (kept
// in sessionStorage for this tab, then removed from the address).
"use strict";

(() => {
  const POLL_MS = 1000;
  const MAX_EVENTS = 200;
  const METRICS = ["killed", "injured", "missing"];
  const TOKEN_KEY = "tolls.token";
  const COLORS = { low: "#1d5fc4", high: "#c0262d", latest: "#222222" };

  // Read by the browser test, and handy from the console.
  const page = {
    charts: {},       // metric -> uPlot instance of the open event
    renders: 0,       // views drawn so far
    signature: null,  // what the tables looked like at the last draw
    loadedAt: Date.now(),
  };
  window.tollsPage = page;

  // ---- talking to the worker -------------------------------------------------------

  class HttpError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function call(path, init = {}) {
    const headers = { ...(init.headers || {}) };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await fetch(path, { ...init, headers, cache: "no-store" });
    let body = null;
    try {
      body = await response.json();
    } catch (_) {
      body = null;
    }
    if (!response.ok) {
      throw new HttpError(response.status, (body && body.error) || response.statusText);
    }
    return body;
  }

  /** Rows of a SELECT as objects, through /query: the page's only source of data. */
  async function query(sql, maxRows = 1000) {
    const body = await call("/query", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sql, max_rows: maxRows }),
    });
    const rows = body.rows.map((row) => Object.fromEntries(body.columns.map((c, i) => [c, row[i]])));
    rows.truncated = Boolean(body.truncated) || rows.length >= maxRows;
    return rows;
  }

  /** An SQL string literal (DuckDB: a quote is doubled; backslashes are plain). */
  const lit = (value) => `'${String(value).replaceAll("'", "''")}'`;

  const metricOrder = `CASE metric ${METRICS.map((m, i) => `WHEN '${m}' THEN ${i}`).join(" ")} ELSE 9 END`;

  // Anything a view shows changes one of these.
  const SIGNATURE_SQL = `
    SELECT (SELECT count(*) FROM mentions) AS mentions,
           (SELECT count(*) FROM toll_history) AS changes,
           (SELECT count(*) FROM events) AS events,
           (SELECT max(updated_at) FROM tolls) AS updated`;

  function eventsSql(country, text) {
    const where = [];
    if (country) where.push(`e.country = ${lit(country)}`);
    if (text) {
      where.push(
        `contains(lower(concat_ws(' ', e.title, e.place, e.location, e.country)), ${lit(text.toLowerCase())})`,
      );
    }
    const perMetric = METRICS.flatMap((m) =>
      ["low", "high", "latest"].map((f) => `max(${f}) FILTER (WHERE metric = '${m}') AS ${m}_${f}`),
    );
    return `
      WITH t AS (
        SELECT event_id, ${perMetric.join(", ")}, max(updated_at) AS updated
        FROM tolls GROUP BY event_id),
      c AS (
        SELECT event_id, count(*) AS n_claims, count(DISTINCT source) AS n_sources
        FROM claims GROUP BY event_id)
      SELECT e.event_id, e.title, e.place, e.location, e.country, e.event_date,
             t.* EXCLUDE (event_id),
             coalesce(c.n_claims, 0) AS n_claims, coalesce(c.n_sources, 0) AS n_sources
      FROM events e LEFT JOIN t USING (event_id) LEFT JOIN c USING (event_id)
      ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY t.updated DESC NULLS LAST, e.event_date DESC NULLS LAST, e.title`;
  }

  const COUNTRIES_SQL =
    "SELECT DISTINCT country FROM events WHERE country IS NOT NULL ORDER BY country";

  function eventSqls(id) {
    const e = lit(id);
    return {
      facts: `
        SELECT e.event_id, e.title, e.place, e.location, e.country, e.event_date, e.first_seen,
               e.last_updated, e.parent_event_id, p.title AS parent_title,
               (SELECT list(struct_pack(event_id := k.event_id, title := k.title) ORDER BY k.title)
                  FROM events k WHERE k.parent_event_id = e.event_id) AS children
        FROM events e LEFT JOIN events p ON p.event_id = e.parent_event_id
        WHERE e.event_id = ${e} LIMIT 1`,
      tolls: `
        SELECT metric, low, high, latest, n_claims, n_sources, updated_at, latest_claim_id
        FROM tolls WHERE event_id = ${e} ORDER BY ${metricOrder}`,
      history: `
        WITH cl AS (
          SELECT claim_id, any_value(value) AS value, any_value(qualifier) AS qualifier,
                 any_value(source) AS source
          FROM claims WHERE event_id = ${e} GROUP BY claim_id)
        SELECT h.metric, h."at", h.seq, h.low, h.high, h.latest,
               h.old_low, h.old_high, h.old_latest, h.claim_id, h.article_id,
               cl.value, cl.qualifier, cl.source, a.title AS article_title, a.outlet, a.url
        FROM toll_history h
        LEFT JOIN cl ON cl.claim_id = h.claim_id
        LEFT JOIN articles a ON a.article_id = h.article_id
        WHERE h.event_id = ${e}
        ORDER BY ${metricOrder.replaceAll("metric", "h.metric")}, h.seq`,
      claims: `
        WITH m AS (
          SELECT claim_id, sentence, article_id,
                 row_number() OVER (PARTITION BY claim_id
                   ORDER BY published_at NULLS LAST, article_id, span_start) AS k
          FROM mentions WHERE event_id = ${e}),
        o AS (
          SELECT m.claim_id, string_agg(DISTINCT a.outlet, ', ' ORDER BY a.outlet) AS outlets,
                 min(a.ingested_at) AS received
          FROM mentions m JOIN articles a USING (article_id)
          WHERE m.event_id = ${e} GROUP BY m.claim_id)
        SELECT c.claim_id, c.metric, c.value, c.qualifier, c.source, c.hedged, c.first_seen,
               c.n_articles, f.sentence, f.article_id, a.title AS article_title, a.url,
               o.outlets, o.received
        FROM claims c
        LEFT JOIN m f ON f.claim_id = c.claim_id AND f.k = 1
        LEFT JOIN articles a ON a.article_id = f.article_id
        LEFT JOIN o ON o.claim_id = c.claim_id
        WHERE c.event_id = ${e}
        ORDER BY ${metricOrder.replaceAll("metric", "c.metric")}, c.first_seen NULLS LAST,
                 c.value, c.claim_id`,
    };
  }

  // ---- small helpers -------------------------------------------------------------------

  const $ = (sel) => document.querySelector(sel);

  /** An element with attributes and children; text goes in as text, never as markup. */
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  /** A timestamp from DuckDB (naive, in UTC) as a Date. */
  function toDate(value) {
    if (!value) return null;
    let s = String(value).replace(" ", "T").replace(/(\.\d{3})\d+/, "$1");
    if (/^\d{4}-\d\d-\d\d$/.test(s)) s += "T00:00:00";
    if (!/(Z|[+-]\d\d:?\d\d)$/.test(s)) s += "Z";
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? null : d;
  }

  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const pad = (n) => String(n).padStart(2, "0");

  function fmtDay(value) {
    const d = toDate(value);
    if (!d) return "undated";
    return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  }

  function fmtTime(value) {
    const d = toDate(value);
    if (!d) return "—";
    const hms = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    const today = new Date();
    const sameDay =
      d.getUTCFullYear() === today.getUTCFullYear() &&
      d.getUTCMonth() === today.getUTCMonth() &&
      d.getUTCDate() === today.getUTCDate();
    return sameDay ? hms : `${fmtDay(value)} ${hms}`;
  }

  /** A publication time: articles often give only the day (midnight). */
  function fmtPublished(value) {
    const d = toDate(value);
    if (!d) return "—";
    const midnight = !d.getUTCHours() && !d.getUTCMinutes() && !d.getUTCSeconds();
    return midnight ? fmtDay(value) : `${fmtDay(value)} ${fmtTime(value).slice(-8)}`;
  }

  function timeEl(value, text) {
    const d = toDate(value);
    return d ? el("time", { datetime: d.toISOString() }, text || fmtTime(value)) : "—";
  }

  const num = (v) => (v === null || v === undefined ? "—" : Number(v).toLocaleString("en"));
  const label = (metric) => metric.charAt(0).toUpperCase() + metric.slice(1);
  const QUALIFIERS = {
    exact: "exactly",
    at_least: "at least",
    more_than: "more than",
    about: "about",
    nearly: "nearly",
    up_to: "up to",
  };

  function range(low, high) {
    if (low === null || low === undefined) return "—";
    return low === high ? num(low) : `${num(low)}–${num(high)}`;
  }

  function articleLink(articleId, url, title) {
    const text = title || articleId || "article";
    if (url && /^https?:\/\//i.test(url)) {
      return el("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, text);
    }
    return el("span", { class: "article-id" }, text);
  }

  const eventHref = (id, extra = {}) => {
    const params = new URLSearchParams({ event: id, ...extra });
    return `#${params}`;
  };

  // ---- the route (address fragment) -----------------------------------------------------

  function readRoute() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ""));
    if (params.has("token")) {
      const token = params.get("token");
      if (token) sessionStorage.setItem(TOKEN_KEY, token);
      else sessionStorage.removeItem(TOKEN_KEY);
      params.delete("token");
      const rest = params.toString();
      history.replaceState(null, "", `${location.pathname}${location.search}${rest ? `#${rest}` : ""}`);
    }
    return { event: params.get("event"), claim: params.get("claim") };
  }

  // ---- drawing -------------------------------------------------------------------------

  let route = readRoute();
  let drawing = 0; // the latest draw wins; an older one that finishes later is dropped
  let lastEvent = null; // the event whose view was open last (focus returns to it)
  const shown = { list: null, facts: null, tolls: null, history: null, claims: null };

  async function draw({ moved = false } = {}) {
    const mine = ++drawing;
    if (route.event) {
      await drawEvent(route.event, mine, moved);
    } else {
      await drawList(mine, moved);
    }
  }

  async function drawList(mine, moved) {
    const country = $("#country").value;
    const text = $("#text").value.trim();
    const [rows, countries] = await Promise.all([
      query(eventsSql(country, text), MAX_EVENTS),
      query(COUNTRIES_SQL),
    ]);
    if (mine !== drawing) return;
    $("#event-view").hidden = true;
    $("#list-view").hidden = false;
    document.title = "tolls: live";
    fillCountries(countries.map((r) => r.country));
    const key = JSON.stringify(rows);
    if (key !== shown.list || moved) {
      const before = shown.listValues || {};
      const values = {};
      const body = $("#events tbody");
      body.replaceChildren(...rows.map((r) => eventRow(r, before, values)));
      if (!rows.length) {
        body.append(
          el("tr", {}, el("td", { colspan: 9, class: "muted" }, country || text ? "No event matches the filter." : "No events yet: replay some articles.")),
        );
      }
      shown.list = key;
      shown.listValues = values;
      $("#events-caption").textContent =
        `Events, most recently updated first: ${rows.length}${rows.truncated ? ` shown (the ${MAX_EVENTS} most recent)` : ""}` +
        (country || text ? " matching the filter" : "");
    }
    page.renders += 1;
    if (moved) {
      const back = lastEvent && document.querySelector(`#events a[data-event="${CSS.escape(lastEvent)}"]`);
      if (back) back.focus();
    }
  }

  function fillCountries(countries) {
    const select = $("#country");
    const have = [...select.options].slice(1).map((o) => o.value);
    if (JSON.stringify(have) === JSON.stringify(countries)) return;
    const current = select.value;
    select.replaceChildren(
      el("option", { value: "" }, "all countries"),
      ...countries.map((c) => el("option", { value: c, selected: c === current }, c)),
    );
  }

  function eventRow(r, before, values) {
    const cells = METRICS.map((m) => {
      const low = r[`${m}_low`];
      const high = r[`${m}_high`];
      const latest = r[`${m}_latest`];
      const value = `${low}/${high}/${latest}`;
      values[`${r.event_id}/${m}`] = value;
      const old = before[`${r.event_id}/${m}`];
      const changed = old !== undefined && old !== value;
      if (low === null || low === undefined) {
        return el("td", { class: "num muted", dataset: { metric: m } }, "—");
      }
      return el(
        "td",
        { class: `num toll${changed ? " changed" : ""}`, dataset: { metric: m, low, high, latest } },
        el("span", { class: "range" }, range(low, high)),
        el("span", { class: "latest" }, `latest ${num(latest)}`),
      );
    });
    // the place is named in the title already, unless the title is only the country's
    const where = r.location && !(r.title || "").toLowerCase().startsWith(r.location.toLowerCase()) ? r.location : "";
    return el(
      "tr",
      { dataset: { event: r.event_id } },
      el(
        "th",
        { scope: "row" },
        el("a", { href: eventHref(r.event_id), dataset: { event: r.event_id } }, r.title || r.event_id),
        where ? el("span", { class: "sub" }, where) : null,
      ),
      el("td", {}, r.country || "—"),
      el("td", {}, r.event_date ? timeEl(r.event_date, fmtDay(r.event_date)) : "undated"),
      cells,
      el("td", { class: "num" }, num(r.n_claims)),
      el("td", { class: "num" }, num(r.n_sources)),
      el("td", {}, timeEl(r.updated)),
    );
  }

  async function drawEvent(id, mine, moved) {
    const sqls = eventSqls(id);
    const [facts, tolls, history, claims] = await Promise.all([
      query(sqls.facts, 1),
      query(sqls.tolls),
      query(sqls.history, 5000),
      query(sqls.claims, 5000),
    ]);
    if (mine !== drawing) return;
    $("#list-view").hidden = true;
    $("#event-view").hidden = false;
    const event = facts[0];
    if (!event) {
      $("#event-title").textContent = "No such event";
      $("#event-facts").replaceChildren(
        el("dd", {}, "It may have been merged into another event as more reports came in."),
      );
      for (const part of ["#tolls tbody", "#claims tbody", "#histories"]) $(part).replaceChildren();
      destroyCharts();
      Object.assign(shown, { facts: null, tolls: null, history: null, claims: null });
      return;
    }
    document.title = `${event.title}: tolls`;
    lastEvent = id;
    const keyOf = (x) => JSON.stringify(x);
    if (keyOf(facts) !== shown.facts || moved) {
      drawFacts(event);
      shown.facts = keyOf(facts);
    }
    if (keyOf(tolls) !== shown.tolls || moved) {
      $("#tolls tbody").replaceChildren(...tolls.map(tollRow));
      shown.tolls = keyOf(tolls);
    }
    if (keyOf(history) !== shown.history || moved) {
      drawHistories(id, tolls.map((t) => t.metric), history);
      shown.history = keyOf(history);
    }
    if (keyOf(claims) !== shown.claims || moved) {
      $("#claims tbody").replaceChildren(...claims.map((c) => claimRow(id, c)));
      shown.claims = keyOf(claims);
    }
    page.renders += 1;
    if (moved) {
      const target = route.claim && document.getElementById(`claim-${route.claim}`);
      if (target) {
        for (const row of document.querySelectorAll("#claims tr.picked")) row.classList.remove("picked");
        target.classList.add("picked");
        target.scrollIntoView({ block: "center" });
        target.querySelector("th").focus();
      } else {
        $("#event-title").focus();
      }
    }
  }

  function drawFacts(e) {
    const facts = [
      ["Place", e.location || e.place || "—"],
      ["Country", e.country || "—"],
      ["Day", e.event_date ? fmtDay(e.event_date) : "undated"],
      ["First report", e.first_seen ? timeEl(e.first_seen, fmtPublished(e.first_seen)) : "—"],
      ["Last report", e.last_updated ? timeEl(e.last_updated, fmtPublished(e.last_updated)) : "—"],
    ];
    if (e.parent_event_id) {
      facts.push(["Part of", el("a", { href: eventHref(e.parent_event_id) }, e.parent_title || e.parent_event_id)]);
    }
    if (e.children && e.children.length) {
      const list = el("ul", { class: "inline" });
      for (const child of e.children) {
        list.append(el("li", {}, el("a", { href: eventHref(child.event_id) }, child.title || child.event_id)));
      }
      facts.push(["Includes", list]);
    }
    $("#event-title").textContent = e.title || e.event_id;
    $("#event-facts").replaceChildren(
      ...facts.flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]),
    );
  }

  function tollRow(t) {
    return el(
      "tr",
      { dataset: { metric: t.metric } },
      el("th", { scope: "row" }, label(t.metric)),
      el("td", { class: "num", dataset: { field: "low" } }, num(t.low)),
      el("td", { class: "num", dataset: { field: "high" } }, num(t.high)),
      el("td", { class: "num", dataset: { field: "latest" } }, num(t.latest)),
      el("td", { class: "num" }, num(t.n_claims)),
      el("td", { class: "num" }, num(t.n_sources)),
      el("td", {}, timeEl(t.updated_at)),
    );
  }

  function claimRow(eventId, c) {
    const qualifier = QUALIFIERS[c.qualifier] || c.qualifier || "";
    const seen = c.first_seen
      ? timeEl(c.first_seen, fmtPublished(c.first_seen))
      : el("span", { class: "muted", title: "the articles give no publication time" }, "received ", timeEl(c.received));
    return el(
      "tr",
      { id: `claim-${c.claim_id}`, dataset: { claim: c.claim_id } },
      el("th", { scope: "row", tabindex: -1 }, label(c.metric)),
      el("td", { class: "num" }, num(c.value)),
      el("td", {}, qualifier, c.hedged ? el("span", { class: "sub" }, "hedged") : null),
      el("td", {}, c.source || el("span", { class: "muted" }, "unattributed")),
      el("td", {}, c.outlets || el("span", { class: "muted" }, "—")),
      el("td", {}, seen),
      el(
        "td",
        { class: "sentence" },
        c.sentence ? el("q", {}, c.sentence) : "—",
        el(
          "span",
          { class: "sub" },
          articleLink(c.article_id, c.url, c.article_title),
          c.n_articles > 1 ? ` and ${c.n_articles - 1} more article${c.n_articles > 2 ? "s" : ""}` : "",
        ),
      ),
    );
  }

  // ---- the charts: one per toll, low/high/latest as stepped lines ------------------------

  function destroyCharts() {
    for (const chart of Object.values(page.charts)) chart.destroy();
    page.charts = {};
  }

  function drawHistories(eventId, metrics, history) {
    destroyCharts();
    const box = $("#histories");
    box.replaceChildren();
    for (const metric of metrics) {
      const rows = history.filter((h) => h.metric === metric);
      const titleId = `history-${metric}`;
      const chart = el("div", {
        class: "chart",
        role: "img",
        "aria-label": `${label(metric)} over time: low, high and latest as stepped lines, ${rows.length} change${rows.length === 1 ? "" : "s"}; the table below lists each point.`,
      });
      const table = el(
        "table",
        { class: "points", dataset: { metric } },
        el("caption", {}, `${label(metric)}: each change of the toll (a point of the chart) and the claim behind it`),
        el(
          "thead",
          {},
          el(
            "tr",
            {},
            ["When", "Low", "High", "Latest", "Claim", "Article"].map((h, i) =>
              el("th", { scope: "col", class: i >= 1 && i <= 3 ? "num" : null }, h),
            ),
          ),
        ),
        el("tbody", {}, rows.map((h, i) => pointRow(eventId, metric, h, i))),
      );
      box.append(
        el(
          "section",
          { class: "history", "aria-labelledby": titleId },
          el("h2", { id: titleId }, `${label(metric)} over time`),
          el("figure", {}, chart, el("figcaption", { class: "muted small" }, "Click a point to see the claim behind it.")),
          el("div", { class: "scroll" }, table),
        ),
      );
      if (window.uPlot && rows.length) {
        page.charts[metric] = makeChart(chart, metric, rows);
      }
    }
  }

  function pointRow(eventId, metric, h, i) {
    const qualifier = QUALIFIERS[h.qualifier] ? `${QUALIFIERS[h.qualifier]} ` : "";
    const claimText =
      h.value !== null && h.value !== undefined
        ? `${qualifier}${num(h.value)}${h.source ? `, ${h.source}` : ""}`
        : "the claim (since merged)";
    const moved = (now, old) =>
      old === null || old === undefined || old === now
        ? num(now)
        : el("span", {}, el("span", { class: "old" }, num(old)), " → ", num(now));
    return el(
      "tr",
      { id: `point-${metric}-${i}`, dataset: { seq: h.seq, low: h.low, high: h.high, latest: h.latest } },
      el("td", {}, timeEl(h.at)),
      el("td", { class: "num" }, moved(h.low, h.old_low)),
      el("td", { class: "num" }, moved(h.high, h.old_high)),
      el("td", { class: "num" }, moved(h.latest, h.old_latest)),
      el("td", {}, h.claim_id ? el("a", { href: eventHref(eventId, { claim: h.claim_id }) }, claimText) : "—"),
      el("td", {}, h.article_id ? articleLink(h.article_id, h.url, h.article_title || h.outlet) : "—"),
    );
  }

  function makeChart(target, metric, rows) {
    const xs = rows.map((h) => toDate(h.at).getTime() / 1000);
    const data = [xs, rows.map((h) => h.low), rows.map((h) => h.high), rows.map((h) => h.latest)];
    const stepped = uPlot.paths.stepped({ align: 1 });
    const series = (name, dash) => ({
      label: name,
      stroke: COLORS[name],
      width: 2,
      dash,
      paths: stepped,
      points: { show: true, size: 7, fill: COLORS[name] },
    });
    const width = Math.max(260, target.parentElement.clientWidth || 600);
    const chart = new uPlot(
      {
        width,
        height: 220,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
        cursor: { drag: { x: false, y: false } },
        scales: {
          // a little room either side of the changes (a single change still gets a span)
          x: {
            time: true,
            // from the data itself: uPlot widens a single time to a whole day
            range: () => {
              const [min, max] = [xs[0], xs[xs.length - 1]];
              const pad = max > min ? Math.max((max - min) * 0.08, 1) : 30;
              return [min - pad, max + pad];
            },
          },
          y: { range: (u, min, max) => [0, Math.max(1, Math.ceil(max * 1.15))] },
        },
        axes: [
          { incrs: TICK_SECONDS, values: (u, splits) => timeTicks(splits) },
          { label: metric, size: 55 },
        ],
        series: [{ label: "time (UTC)" }, series("low"), series("high"), series("latest", [6, 4])],
        hooks: {
          ready: [
            (u) => {
              u.over.addEventListener("click", () => {
                const i = u.cursor.idx;
                if (i !== null && i !== undefined) pickPoint(metric, i);
              });
            },
          ],
        },
      },
      data,
      target,
    );
    return chart;
  }

  // whole seconds at least: the labels do not show fractions
  const TICK_SECONDS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800,
    21600, 43200, 86400, 172800, 604800, 2592000, 7776000, 31536000];

  /** Tick labels in UTC, 24-hour, with the day where the ticks span more than one. */
  function timeTicks(splits) {
    const days = new Set(splits.map((s) => fmtDay(new Date(s * 1000).toISOString())));
    return splits.map((s) => {
      const iso = new Date(s * 1000).toISOString();
      const hms = iso.slice(11, 19);
      const d = new Date(s * 1000);
      return days.size > 1 ? `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${hms.slice(0, 5)}` : hms;
    });
  }

  function pickPoint(metric, i) {
    for (const row of document.querySelectorAll(".points tr.picked")) row.classList.remove("picked");
    const row = document.getElementById(`point-${metric}-${i}`);
    if (!row) return;
    row.classList.add("picked");
    const link = row.querySelector("a");
    row.scrollIntoView({ block: "nearest" });
    if (link) link.focus();
  }

  function resizeCharts() {
    for (const chart of Object.values(page.charts)) {
      const width = Math.max(260, chart.root.parentElement.clientWidth);
      if (Math.abs(width - chart.width) > 2) chart.setSize({ width, height: 220 });
    }
  }

  // ---- the worker's state, and trouble ---------------------------------------------------

  function showHealth(h) {
    const box = $("#worker");
    const lag = Object.entries(h.lag || {});
    const total = lag.reduce((n, [, v]) => n + (v || 0), 0);
    const unknown = lag.some(([, v]) => v === null);
    let state;
    if (h.status !== "ok") state = "starting";
    else if (h.idle) state = "idle";
    else state = "working";
    box.dataset.state = state;
    box.dataset.idle = String(Boolean(h.idle));
    box.dataset.lag = String(total);
    const lagText = lag.length
      ? lag.map(([topic, v]) => `${topic} ${v === null ? "?" : num(v)}`).join(", ")
      : "none";
    box.replaceChildren(
      el("span", { class: `dot ${state}`, "aria-hidden": "true" }),
      `worker ${state === "idle" ? "idle: every message is in the tables" : state}`,
      el("span", { class: "sep" }, " · "),
      `lag ${unknown ? "unknown yet" : num(total)} (${lagText})`,
      el("span", { class: "sep" }, " · "),
      `checked ${fmtTime(new Date().toISOString())} UTC`,
    );
  }

  function showProblem(error) {
    const box = $("#problem");
    if (error === null) {
      box.hidden = true;
      box.replaceChildren();
      return;
    }
    let message;
    if (error instanceof HttpError && error.status === 401) {
      const had = Boolean(sessionStorage.getItem(TOKEN_KEY));
      message = [
        had ? "The worker refused this page's token. " : "The worker needs its token. ",
        "Open this page as ",
        el("code", {}, `${location.origin}/#token=TOKEN`),
        " (TOLLS_HTTP_TOKEN); the page keeps it for this tab only.",
      ];
    } else if (error instanceof HttpError) {
      message = `The worker answered ${error.status}: ${error.message}`;
    } else {
      message = `The worker cannot be reached (${error.message}); showing the last data, retrying every second.`;
    }
    box.replaceChildren(...[message].flat());
    box.hidden = false;
    const worker = $("#worker");
    worker.dataset.state = "unreachable";
    worker.textContent = error instanceof HttpError ? "worker: no access" : "worker: unreachable";
  }

  // ---- the loop --------------------------------------------------------------------------

  let pendingMove = true;

  async function tick() {
    try {
      const [health, signature] = await Promise.all([call("/health"), query(SIGNATURE_SQL, 1)]);
      showHealth(health);
      const key = JSON.stringify(signature[0]);
      if (key !== page.signature || pendingMove) {
        const moved = pendingMove;
        pendingMove = false;
        await draw({ moved });
        page.signature = key;
      }
      showProblem(null);
    } catch (error) {
      showProblem(error);
    } finally {
      setTimeout(tick, POLL_MS);
    }
  }

  async function redraw(moved) {
    try {
      await draw({ moved });
      showProblem(null);
    } catch (error) {
      showProblem(error);
    }
  }

  window.addEventListener("hashchange", () => {
    const before = route.event;
    route = readRoute();
    if (route.event !== before) {
      for (const key of Object.keys(shown)) shown[key] = null;
    }
    redraw(true);
  });

  let typing = null;
  $("#filters").addEventListener("submit", (e) => e.preventDefault());
  $("#country").addEventListener("change", () => redraw(false));
  $("#text").addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => redraw(false), 200);
  });

  if ("ResizeObserver" in window) {
    new ResizeObserver(() => resizeCharts()).observe($("#main"));
  }

  tick();
})();
