// The benchmark's baseline: a plain-JavaScript renderer (no framework, no WebAssembly) that
// builds the same DOM as the Kiosque widget — same elements, `kq-*` classes, attributes and text —
// from the same JSON, with the same stylesheet and the same loading behaviour (skeleton first,
// related list and comments fetched when they come near the viewport). It is the practical lower
// bound the harness compares Kiosque against; `bench/run.mjs` checks that both DOMs match.
//
// What it leaves out, because the benchmark never exercises it: the article contract's error
// reporting (a broken document shows one generic message), the repeated-paragraph collapse,
// inline navigation between related articles, and comment submission (the form is static markup
// with a live character counter and a draft saved as the reader types, like the widget's, and a
// working proof-of-work check so that the solve time can be compared). Every control the widget
// listens to (reply buttons, related links, form fields) has a listener here too, so that the
// work per element stays comparable.
//
// The reader-visible strings are Kiosque's own (`locales/*.json`): the harness replaces the
// placeholder below with them when it assembles the benchmark site, so this file stays a single
// script with no build step.

const STRINGS = /* @strings */ { fr: {}, en: {} };

const MAX_TEXT_CHARS = 5000;
const RELATIVE_FOR_MS = 7 * 86_400_000;
const MAX_DEPTH = 3;
const POW_SLICE = 2000;
let instances = 0;

// ---------------------------------------------------------------------------------------------
// Small DOM helpers. `h("p", { class: "x" }, "text", child)`: attributes whose value is null,
// undefined or false are left out, like the widget's optional attributes.

function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const name in attributes) {
    const value = attributes[name];
    if (value !== null && value !== undefined && value !== false) element.setAttribute(name, value === true ? "" : value);
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child);
  }
}

// ---------------------------------------------------------------------------------------------
// Language, strings and dates: the same choices as src/i18n.rs, with the browser's Intl.

function langOf(tag) {
  const primary = (tag || "").trim().split(/[-_]/)[0].toLowerCase();
  return primary === "fr" || primary === "en" ? primary : null;
}

function text(lang, key, values) {
  let result = STRINGS[lang][key] ?? key;
  for (const name in values) result = result.replaceAll(`{${name}}`, values[name]);
  return result;
}

function countText(lang, count, one, other) {
  const singular = lang === "fr" ? count <= 1 : count === 1;
  return text(lang, singular ? one : other, { count: String(count) });
}

function isSimpleTag(tag) {
  return /^[a-z]{2,3}([-_]([a-z]{4}|[a-z]{2}|[0-9]{3})|[-_][a-z]{4}[-_]([a-z]{2}|[0-9]{3}))?$/i.test(tag);
}

function intlLocale(lang, candidates) {
  const tag = candidates.map((c) => c && c.trim()).find((c) => c && langOf(c) === lang && isSimpleTag(c));
  return tag ? tag.replace("_", "-") : lang;
}

function formatDateTime(locale, ms) {
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short" }).format(new Date(ms));
}

function relatedDate(locale, ms) {
  const age = Date.now() - ms;
  if (age < -5 * 60_000 || age >= RELATIVE_FOR_MS) {
    return new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(new Date(ms));
  }
  const [amount, unit] =
    age < 3_600_000 ? [Math.floor(Math.max(age, 0) / 60_000), "minute"]
    : age < 86_400_000 ? [Math.floor(age / 3_600_000), "hour"]
    : [Math.floor(age / 86_400_000), "day"];
  return new Intl.RelativeTimeFormat(locale, { numeric: "auto" }).format(-amount, unit);
}

// ---------------------------------------------------------------------------------------------
// URLs: the contract's rules (docs/article-contract.md, "URLs"), compactly.

function asBrowserReadsIt(raw) {
  return String(raw).replace(/[\t\n\r]/g, "").replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "");
}

function schemeOf(url) {
  const match = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  return match ? match[1].toLowerCase() : null;
}

/** A link target `{ url, external }`, or null when the contract drops it. */
function safeHref(raw) {
  if (typeof raw !== "string") return null;
  const url = asBrowserReadsIt(raw);
  if (!url || (url.includes("\\") && /^[\\/]/.test(url))) return null;
  const scheme = schemeOf(url);
  if (scheme === null) return { url, external: url.startsWith("//") };
  if (scheme === "http" || scheme === "https") return { url, external: true };
  if (scheme === "mailto") return { url, external: false };
  return null;
}

function safeSrc(raw) {
  if (typeof raw !== "string") return null;
  const url = asBrowserReadsIt(raw);
  const scheme = schemeOf(url);
  if (scheme === null) return url && !url.includes("\\") ? url : null;
  return scheme === "http" || scheme === "https" ? url : null;
}

// ---------------------------------------------------------------------------------------------
// The article.

function link(href, className, children) {
  return h("a", { href: href.url, class: className, rel: href.external ? "noopener" : null }, children);
}

/** A Labelled or Named: a link when it has a usable url, plain text otherwise. */
function label(item, className) {
  const name = item.label ?? item.name;
  const href = safeHref(item.url);
  return href ? link(href, className, name) : h("span", { class: className }, name);
}

function spans(inline) {
  return typeof inline === "string" ? [{ text: inline }] : inline;
}

function inlineNodes(inline) {
  return spans(inline).map((span) => {
    const marks = span.marks || [];
    let node = span.text;
    if (marks.includes("code")) node = h("code", {}, node);
    if (marks.includes("em")) node = h("em", {}, node);
    if (marks.includes("strong")) node = h("strong", {}, node);
    const href = span.href === undefined ? null : safeHref(span.href);
    return href ? link(href, null, node) : node;
  });
}

function isBlank(inline) {
  return spans(inline).every((span) => !span.text.trim());
}

function words(inline) {
  const joined = spans(inline).map((span) => span.text).join("");
  return joined.split(/\s+/).filter(Boolean).length;
}

function heading(level, className, id, children) {
  return h(`h${Math.min(Math.max(level, 1), 6)}`, { class: className, id, tabindex: id ? "-1" : null }, children);
}

function figure(image, lang, className, lazy) {
  const sized = image.width > 0 && image.height > 0;
  const caption = image.caption ?? null;
  const credit = image.credit ?? null;
  return h(
    "figure",
    { class: className },
    h("img", {
      class: sized ? "kq-figure__img" : "kq-figure__img kq-figure__img--unsized",
      src: safeSrc(image.url),
      alt: image.alt ?? "",
      width: sized ? image.width : null,
      height: sized ? image.height : null,
      loading: lazy ? "lazy" : null,
      decoding: "async",
    }),
    (caption !== null || credit !== null) &&
      h(
        "figcaption",
        { class: "kq-figure__caption" },
        caption !== null && h("span", { class: "kq-figure__text" }, caption),
        caption !== null && credit !== null && " ",
        credit !== null && h("span", { class: "kq-figure__credit" }, text(lang, "article.credit"), " ", credit),
      ),
  );
}

function block(item, lang, headlineLevel) {
  switch (item.type) {
    case "paragraph":
      return isBlank(item.text) ? null : h("p", { class: "kq-p" }, inlineNodes(item.text));
    case "heading":
      return isBlank(item.text) ? null : heading(headlineLevel + item.level - 1, "kq-h", null, inlineNodes(item.text));
    case "quote":
      return isBlank(item.text)
        ? null
        : h(
            "figure",
            { class: "kq-quote" },
            h("blockquote", { class: "kq-quote__text" }, h("p", {}, inlineNodes(item.text))),
            item.cite != null && h("figcaption", { class: "kq-quote__cite" }, item.cite),
          );
    case "list": {
      const items = item.items.filter((entry) => !isBlank(entry));
      if (!items.length) return null;
      return h(item.ordered ? "ol" : "ul", { class: "kq-list" }, items.map((entry) => h("li", {}, inlineNodes(entry))));
    }
    case "image":
      return safeSrc(item.url) ? figure(item, lang, "kq-figure", true) : null;
    case "ad":
      return h(
        "div",
        { class: "kq-ad", role: "group", "aria-label": text(lang, "article.ad"), "data-slot": item.slot },
        h("span", { class: "kq-ad__label", "aria-hidden": "true" }, text(lang, "article.ad")),
        h("div", { class: "kq-ad__slot" }),
      );
    case "divider":
      return h("hr", { class: "kq-divider" });
    default:
      return null;
  }
}

function dateLine(lang, key, when, locale) {
  return h(
    "span",
    { class: "kq-date" },
    text(lang, key),
    " ",
    h("time", { datetime: when }, formatDateTime(locale, Date.parse(when))),
  );
}

function articleView(article, view) {
  const { lang, locale, level, prefix } = view;
  const headlineId = `${prefix}-headline`;
  const authors = article.authors || [];
  const tags = article.tags || [];
  const body = article.body || [];
  const wordCount = body.reduce((sum, item) => {
    if (item.type === "list") return sum + item.items.reduce((n, entry) => n + words(entry), 0);
    return ["paragraph", "heading", "quote"].includes(item.type) ? sum + words(item.text) : sum;
  }, 0);
  const byline =
    authors.length > 0 &&
    h(
      "p",
      { class: "kq-byline" },
      text(lang, "article.by"),
      " ",
      authors.map((author, i) => [
        i === 0 ? "" : i === authors.length - 1 ? ` ${text(lang, "article.and")} ` : ", ",
        label(author, "kq-byline__author"),
      ]),
    );
  const breadcrumb = article.breadcrumb?.length
    ? h(
        "nav",
        { class: "kq-breadcrumb", "aria-label": text(lang, "article.breadcrumb") },
        h(
          "ol",
          { class: "kq-breadcrumb__list" },
          article.breadcrumb.map((item, i, all) => {
            const current = i === all.length - 1 ? "page" : null;
            const href = safeHref(item.url);
            return h(
              "li",
              { class: "kq-breadcrumb__item" },
              href ? h("a", { href: href.url, "aria-current": current }, item.label) : h("span", { "aria-current": current }, item.label),
            );
          }),
        ),
      )
    : null;
  const tagsId = `${headlineId}-tags`;
  return h(
    "article",
    { class: "kq-article", "aria-labelledby": headlineId, lang: article.lang },
    breadcrumb,
    h(
      "header",
      { class: "kq-header" },
      article.section && h("p", { class: "kq-section" }, label(article.section, null)),
      heading(level, "kq-headline", headlineId, article.headline),
      article.dek != null && h("p", { class: "kq-dek" }, article.dek),
      h(
        "div",
        { class: "kq-meta" },
        byline,
        article.source && h("p", { class: "kq-source" }, text(lang, "article.source"), " ", label(article.source, null)),
        h(
          "p",
          { class: "kq-dates" },
          dateLine(lang, "article.published", article.published, locale),
          article.modified && dateLine(lang, "article.modified", article.modified, locale),
          wordCount > 0 &&
            h("span", { class: "kq-reading-time" }, text(lang, "article.reading_time", { minutes: Math.ceil(wordCount / 230) })),
        ),
      ),
    ),
    article.image && safeSrc(article.image.url) && figure(article.image, lang, "kq-figure kq-hero", false),
    bodyView(body, lang, level),
    tags.length > 0 &&
      h(
        "footer",
        { class: "kq-tags" },
        h("p", { class: "kq-tags__label", id: tagsId }, text(lang, "article.tags")),
        h("ul", { class: "kq-tags__list", "aria-labelledby": tagsId }, tags.map((tag) => h("li", {}, label(tag, "kq-tag")))),
      ),
  );
}

/** The first 8 blocks now, the rest once the browser has painted them, as Kiosque does. */
function bodyView(body, lang, level) {
  const container = h("div", { class: "kq-body" }, body.slice(0, 8).map((item) => block(item, lang, level)));
  if (body.length > 8) {
    requestAnimationFrame(() => setTimeout(() => append(container, body.slice(8).map((item) => block(item, lang, level)))));
  }
  return container;
}

// ---------------------------------------------------------------------------------------------
// Optional parts that come and go (placeholders, "more" buttons, notes): kept in a fixed order
// inside their parent, inserted or removed as their condition changes, as the widget's <Show>s.

function slots(parent, entries) {
  let previous = null;
  for (const [node, shown] of entries) {
    if (shown && node.parentNode !== parent) parent.insertBefore(node, previous ? previous.nextSibling : parent.firstChild);
    if (!shown && node.parentNode === parent) node.remove();
    if (shown) previous = node;
  }
}

/** Calls `onNear` once, when `element` comes within `margin` of the viewport. */
function whenNearViewport(element, margin, onNear) {
  const observer = new IntersectionObserver(
    (entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        observer.disconnect();
        onNear();
      }
    },
    { rootMargin: margin },
  );
  // After the first paint, once the body is complete (see bodyView), as Kiosque does.
  setTimeout(() => observer.observe(element));
}

async function fetchJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return JSON.parse(await response.text());
}

// ---------------------------------------------------------------------------------------------
// Related news.

function relatedItem(raw) {
  const url = raw && typeof raw.headline === "string" && safeHref(raw.url);
  return url ? { ...raw, url } : null;
}

function mergeRelated(list, incoming, article) {
  const articleUrl = safeHref(article.url)?.url;
  for (const raw of incoming || []) {
    const item = relatedItem(raw);
    if (!item || item.id === article.id || item.url.url === articleUrl) continue;
    const identity = item.id ?? item.url.url;
    if (!list.some((listed) => (listed.id ?? listed.url.url) === identity || listed.url.url === item.url.url)) list.push(item);
  }
}

/** The item's link, with a click listener like the widget's. In inline mode (data-related-mode)
 * the widget opens the article in place; the baseline does not navigate inline and lets the
 * browser follow the link either way. */
function cardLink(item, index, view) {
  const link = h("a", { id: `${view.prefix}-related-${index}`, href: item.url.url, rel: item.url.external ? "noopener" : null }, item.headline);
  link.addEventListener("click", (event) => {
    if (view.relatedMode === "inline" && event.button === 0 && !(event.ctrlKey || event.metaKey || event.shiftKey || event.altKey)) {
      console.info(`Kiosque baseline: inline navigation is not implemented (${item.src})`);
    }
  });
  return link;
}

function card(item, index, view) {
  const image = item.image && safeSrc(item.image.url);
  return h(
    "li",
    { class: "kq-card" },
    image &&
      h("img", {
        class: "kq-card__img",
        src: image,
        alt: "",
        width: item.image.width > 0 && item.image.height > 0 ? item.image.width : null,
        height: item.image.width > 0 && item.image.height > 0 ? item.image.height : null,
        loading: "lazy",
        decoding: "async",
      }),
    h(
      "div",
      { class: "kq-card__text" },
      item.section && h("p", { class: "kq-card__section" }, label(item.section, null)),
      h("p", { class: "kq-card__headline" }, cardLink(item, index, view)),
      item.published &&
        h("time", { class: "kq-card__date", datetime: item.published }, relatedDate(view.locale, Date.parse(item.published))),
    ),
  );
}

function relatedView(article, view) {
  const related = article.related;
  if (!related) return null;
  const items = [];
  mergeRelated(items, related.items, article);
  let next = safeSrc(related.url ?? null);
  if (!items.length && !next) return null;
  const { lang, limit } = view;
  let shown = limit;
  let busy = false;
  let failed = false;
  let fetchedTitle = null;

  const headingId = `${view.prefix}-related`;
  const section = h("section", { class: "kq-related", "aria-labelledby": headingId });
  const title = heading(view.level + 1, "kq-related__title", headingId, "");
  const placeholder = h("div", { class: "kq-related__placeholder", "aria-hidden": "true" });
  const list = h("ul", { class: "kq-related__list" });
  const status = h("p", { class: "kq-visually-hidden", role: "status" });
  const retry = h("button", { type: "button", class: "kq-button kq-button--secondary" }, text(lang, "action.retry"));
  const error = h("div", { class: "kq-related__error", role: "alert" }, h("p", {}, text(lang, "related.error")), retry);
  const more = h("button", { type: "button", class: "kq-button kq-button--secondary kq-related__more" }, text(lang, "related.more"));
  let rendered = 0;

  function update() {
    const hasContent = items.length > 0;
    const waiting = !hasContent && next !== null && !failed;
    section.classList.toggle("kq-related--empty", !hasContent && !waiting && !failed);
    if (busy) section.setAttribute("aria-busy", "true");
    else section.removeAttribute("aria-busy");
    title.textContent = related.title ?? fetchedTitle ?? text(lang, "related.title");
    // Only the cards not shown yet are built.
    const visible = Math.min(shown, items.length);
    if (visible > rendered) {
      const fragment = document.createDocumentFragment();
      for (let i = rendered; i < visible; i++) fragment.append(card(items[i], i, view));
      list.append(fragment);
      rendered = visible;
    }
    status.textContent = busy ? text(lang, "related.loading") : "";
    more.disabled = busy;
    slots(section, [
      [title, hasContent || waiting || failed],
      [placeholder, waiting],
      [list, true],
      [status, true],
      [error, failed],
      [more, hasContent && (items.length > shown || next !== null) && !failed],
    ]);
  }

  async function fetchNext(reveal) {
    if (!next || busy) return;
    busy = true;
    failed = false;
    update();
    try {
      const page = await fetchJson(next);
      mergeRelated(items, page.items, article);
      fetchedTitle ??= page.title ?? null;
      next = page.next ? safeSrc(page.next) : null;
      if (reveal) shown += limit;
    } catch (problem) {
      console.error(`Kiosque baseline: related news from ${next}: ${problem.message}`);
      failed = true;
    }
    busy = false;
    update();
  }

  more.addEventListener("click", () => {
    if (items.length > shown) {
      shown += limit;
      update();
    } else {
      fetchNext(true);
    }
  });
  retry.addEventListener("click", () => fetchNext(false));
  update();
  if (next) requestAnimationFrame(() => whenNearViewport(section, "100% 0px", () => fetchNext(false)));
  return section;
}

// ---------------------------------------------------------------------------------------------
// Comments: the list, threaded as src/model/comments.rs does.

function buildThreads(items) {
  const ids = new Set(items.map((c) => c.id));
  const children = new Map();
  const roots = [];
  for (const comment of items) {
    if (comment.parent != null && ids.has(comment.parent) && comment.parent !== comment.id) {
      if (!children.has(comment.parent)) children.set(comment.parent, []);
      children.get(comment.parent).push(comment);
    } else {
      roots.push(comment);
    }
  }
  const guard = new Set(roots.map((c) => c.id));
  const descendants = (id, out) => {
    for (const child of children.get(id) || []) {
      if (guard.has(child.id)) continue;
      guard.add(child.id);
      out.push(child);
      descendants(child.id, out);
    }
  };
  const make = (comment, depth) => {
    const replies = [];
    for (const child of children.get(comment.id) || []) {
      if (guard.has(child.id)) continue;
      guard.add(child.id);
      if (depth + 2 < MAX_DEPTH) {
        replies.push(make(child, depth + 1));
      } else {
        // The last level: the child and everything under it, side by side.
        const rest = [];
        descendants(child.id, rest);
        replies.push({ comment: child, replies: [] }, ...rest.map((c) => ({ comment: c, replies: [] })));
      }
    }
    return { comment, replies };
  };
  return roots.map((root) => make(root, 0));
}

const UGC_REL = "nofollow ugc noopener";
const TRAILING_PUNCTUATION = ".,;:!?)]»\"'’";

function webAddress(candidate) {
  try {
    const url = new URL(candidate);
    return (url.protocol === "http:" || url.protocol === "https:") && url.host ? candidate : null;
  } catch {
    return null;
  }
}

/** A line of comment text: its text and the http(s) addresses in it, as links. */
function lineNodes(line) {
  const nodes = [];
  let rest = line;
  for (;;) {
    const lower = rest.toLowerCase();
    const starts = [lower.indexOf("https://"), lower.indexOf("http://")].filter((i) => i >= 0);
    if (!starts.length) break;
    const start = Math.min(...starts);
    const from = rest.slice(start);
    const end = from.search(/\s/) === -1 ? from.length : from.search(/\s/);
    let candidate = from.slice(0, end);
    while (candidate && TRAILING_PUNCTUATION.includes(candidate.at(-1))) candidate = candidate.slice(0, -1);
    if (end > candidate.length && from[candidate.length] === ")" && candidate.includes("(")) candidate = from.slice(0, candidate.length + 1);
    if (start > 0) nodes.push(rest.slice(0, start));
    const url = candidate.length > "https://".length ? webAddress(candidate) : null;
    nodes.push(url ? h("a", { href: url, rel: UGC_REL }, url) : candidate);
    rest = from.slice(candidate.length);
  }
  if (rest) nodes.push(rest);
  return nodes;
}

function commentText(value) {
  return value
    .replaceAll("\r\n", "\n")
    .split("\n\n")
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
    .map((paragraph) => h("p", {}, paragraph.split("\n").map((line, i) => [i > 0 && h("br", {}), lineNodes(line)])));
}

function commentElementId(prefix, id) {
  return `${prefix}-comment-${String(id).replace(/[^A-Za-z0-9]/g, "-")}`;
}

/** "Répondre". One listener on the list answers every reply button, as in the widget (which moves
 * to the form and names the comment answered; the baseline only moves focus: it does not send
 * comments). */
function replyButton(id, name, view) {
  return h(
    "button",
    {
      type: "button",
      class: "kq-link-button kq-comment__reply",
      "aria-label": text(view.lang, "comments.reply_to", { name }),
      "data-reply-to": String(id),
    },
    text(view.lang, "comments.reply"),
  );
}

function threadView(thread, view, open) {
  const { comment } = thread;
  const { lang } = view;
  const name = (comment.author?.name ?? "").trim();
  const authorUrl = comment.author?.url && webAddress(comment.author.url) && safeHref(comment.author.url);
  const pending = comment.status === "pending";
  return h(
    "li",
    { class: "kq-comment", id: commentElementId(view.prefix, comment.id), tabindex: "-1" },
    h(
      "article",
      { class: pending ? "kq-comment__body kq-comment__body--pending" : "kq-comment__body" },
      h(
        "p",
        { class: "kq-comment__meta" },
        h("span", { class: "kq-comment__author" }, authorUrl ? h("a", { href: authorUrl.url, rel: UGC_REL }, name) : name),
        " ",
        h("time", { class: "kq-comment__date", datetime: comment.created }, formatDateTime(view.locale, Date.parse(comment.created))),
        pending && [" ", h("span", { class: "kq-comment__pending" }, text(lang, "comments.pending"))],
      ),
      h("div", { class: "kq-comment__text" }, commentText(comment.text.trim())),
      open && !pending && replyButton(comment.id, name, view),
    ),
    thread.replies.length > 0 && h("ol", { class: "kq-comments__replies" }, thread.replies.map((reply) => threadView(reply, view, open))),
  );
}

function commentsView(article, view) {
  const info = article.comments;
  const url = info && safeSrc(info.url ?? null);
  if (!url) return null;
  const { lang, prefix } = view;
  const items = [];
  let total = info.count ?? 0;
  let next = url;
  let loadedOnce = false;
  let busy = false;
  let failed = false;
  const open = info.open !== false;

  const headingId = `${prefix}-comments`;
  const section = h("section", { class: "kq-comments", "aria-labelledby": headingId });
  const title = heading(view.level + 1, "kq-comments__title", headingId, "");
  const list = h("ol", { class: "kq-comments__list" });
  list.addEventListener("click", (event) => {
    if (event.target.closest?.("[data-reply-to]")) document.getElementById(`${prefix}-text`)?.focus();
  });
  const empty = h("p", { class: "kq-comments__empty" }, text(lang, "comments.empty"));
  const placeholder = h("div", { class: "kq-comments__placeholder", "aria-hidden": "true" });
  const status = h("p", { class: "kq-visually-hidden", role: "status" });
  const retry = h("button", { type: "button", class: "kq-button kq-button--secondary" }, text(lang, "action.retry"));
  const error = h("div", { class: "kq-comments__error", role: "alert" }, h("p", {}, text(lang, "comments.error")), retry);
  const more = h("button", { type: "button", class: "kq-button kq-button--secondary kq-comments__more" }, text(lang, "comments.more"));
  const closed = h("p", { class: "kq-comments__closed" }, text(lang, "comments.closed"));
  // Built when the reader comes near the comments, as Kiosque does.
  let form = null;

  function update(listChanged) {
    title.textContent = countText(lang, total, "comments.title.one", "comments.title.other");
    if (busy) list.setAttribute("aria-busy", "true");
    else list.removeAttribute("aria-busy");
    if (listChanged) list.replaceChildren(...buildThreads(items).map((thread) => threadView(thread, view, open)));
    status.textContent = busy ? text(lang, "comments.loading") : "";
    more.disabled = busy;
    slots(section, [
      [title, true],
      [list, true],
      [empty, loadedOnce && !items.length],
      [placeholder, !loadedOnce && !failed && total !== 0],
      [status, true],
      [error, failed],
      [more, loadedOnce && next !== null && !failed],
      [closed, !open],
      ...(form ? [[form, true]] : []),
    ]);
  }

  async function fetchNext() {
    if (!next || busy) return;
    busy = true;
    failed = false;
    update(false);
    try {
      const page = await fetchJson(next);
      const known = new Set(items.map((c) => c.id));
      for (const comment of page.items || []) {
        if (comment && comment.id != null && typeof comment.text === "string" && comment.created && !known.has(String(comment.id))) {
          items.push({ ...comment, id: String(comment.id), parent: comment.parent == null ? null : String(comment.parent) });
        }
      }
      total = page.total ?? items.length;
      next = page.next ? safeSrc(page.next) : null;
      loadedOnce = true;
      busy = false;
      update(true);
    } catch (problem) {
      console.error(`Kiosque baseline: comments from ${next}: ${problem.message}`);
      busy = false;
      failed = true;
      update(false);
    }
  }

  more.addEventListener("click", fetchNext);
  retry.addEventListener("click", fetchNext);
  update(false);
  function reveal() {
    if (open && !form) form = formView(article, view);
    update(false);
    fetchNext();
  }
  requestAnimationFrame(() => whenNearViewport(section, "100% 0px", reveal));
  return section;
}

// ---------------------------------------------------------------------------------------------
// The comment form: static markup, a live counter and draft, and the proof of work.

function formView(article, view) {
  const { lang, prefix } = view;
  const id = (slug) => `${prefix}-${slug}`;
  const required = () => h("span", { class: "kq-required", "aria-hidden": "true" }, " *");
  const emailRequired = view.email !== "optional";
  const counter = h(
    "p",
    { class: "kq-field__counter", id: `${id("text")}-counter` },
    text(lang, "form.counter", { count: "0", max: String(MAX_TEXT_CHARS) }),
  );
  const textarea = h("textarea", {
    id: id("text"),
    name: "text",
    rows: "6",
    required: true,
    "aria-required": "true",
    "aria-describedby": `${id("text")}-counter`,
  });
  const draftKey = `kiosque-baseline:draft:${article.id}`;
  const draft = { text: "" };
  let saveTimer = 0;
  textarea.addEventListener("input", () => {
    const count = [...textarea.value.trim()].length;
    counter.textContent = text(lang, "form.counter", { count: String(count), max: String(MAX_TEXT_CHARS) });
    counter.classList.toggle("kq-field__counter--over", count > MAX_TEXT_CHARS);
    clearTimeout(saveTimer);
    draft.text = textarea.value;
    saveTimer = setTimeout(() => localStorage.setItem(draftKey, JSON.stringify(draft)), 300);
  });
  const field = (slug, attributes, labelChildren, extra) => {
    const input = h("input", { id: id(slug), name: slug, ...attributes });
    input.addEventListener("input", () => (draft[slug] = input.value));
    return h("div", { class: "kq-field" }, h("label", { for: id(slug) }, labelChildren), input, extra);
  };
  const form = h(
    "form",
    { class: "kq-form", "aria-labelledby": id("form-title"), novalidate: true },
    heading(view.level + 2, "kq-form__title", id("form-title"), text(lang, "form.title")),
    h("p", { class: "kq-form__note" }, text(lang, "form.required_note")),
    h("div", { class: "kq-field" }, h("label", { for: id("text") }, text(lang, "form.text"), required()), textarea, counter),
    h(
      "div",
      { class: "kq-form__identity" },
      field("name", { type: "text", autocomplete: "name", required: true, "aria-required": "true" }, [text(lang, "form.name"), required()]),
      field(
        "email",
        {
          type: "email",
          autocomplete: "email",
          required: emailRequired,
          "aria-required": emailRequired ? "true" : null,
          "aria-describedby": `${id("email")}-hint`,
        },
        [text(lang, "form.email"), emailRequired ? required() : [" ", text(lang, "form.optional")]],
        h("p", { class: "kq-field__hint", id: `${id("email")}-hint` }, text(lang, "form.email_hint")),
      ),
      field("website", { type: "url", autocomplete: "url" }, [text(lang, "form.website"), " ", text(lang, "form.optional")]),
    ),
    h(
      "div",
      { class: "kq-form__trap", "aria-hidden": "true" },
      h("label", { for: id("homepage") }, text(lang, "form.honeypot")),
      h("input", { id: id("homepage"), name: "homepage", type: "text", tabindex: "-1", autocomplete: "off" }),
    ),
    h("label", { class: "kq-check" }, h("input", { type: "checkbox" }), " ", text(lang, "form.remember")),
    captchaView(view),
    h("button", { type: "submit", class: "kq-button kq-form__submit" }, text(lang, "form.submit")),
    h("p", { class: "kq-visually-hidden", role: "status" }),
  );
  form.addEventListener("submit", (event) => event.preventDefault());
  return form;
}

function captchaView(view) {
  const { lang } = view;
  const inputId = `${view.prefix}-captcha`;
  const legend = h("legend", {}, text(lang, "captcha.legend"));
  if (view.captcha === "none") return null;
  if (view.captcha !== "pow") {
    return h(
      "fieldset",
      { class: "kq-captcha" },
      legend,
      h("label", { class: "kq-check" }, h("input", { type: "checkbox", id: inputId }), " ", text(lang, "captcha.stub")),
    );
  }
  const start = h("button", { type: "button", class: "kq-button kq-button--secondary", id: inputId }, text(lang, "captcha.pow.start"));
  const progress = h("progress", { class: "kq-captcha__progress", max: "100", value: "0", "aria-label": text(lang, "captcha.legend") });
  const cancel = h("button", { type: "button", class: "kq-button kq-button--secondary" }, text(lang, "captcha.pow.cancel"));
  const status = h("p", { class: "kq-captcha__status", "aria-hidden": "true" });
  const announcement = h("p", { class: "kq-visually-hidden", role: "status" });
  const fieldset = h("fieldset", { class: "kq-captcha" }, legend, start, status, announcement);
  let run = 0;

  function show(working, statusText, announced) {
    if (working && start.isConnected) start.replaceWith(progress, cancel);
    if (!working && progress.isConnected) {
      cancel.remove();
      progress.replaceWith(start);
    }
    status.textContent = statusText;
    announcement.textContent = announced;
  }

  async function solve() {
    const mine = ++run;
    const started = performance.now();
    const working = text(lang, "captcha.pow.working", { percent: "0" });
    show(true, working, working);
    let challenge;
    try {
      challenge = await fetchJson(view.challengeUrl);
    } catch {
      challenge = null;
    }
    if (mine !== run) return;
    if (!challenge || challenge.algorithm !== "SHA-256") {
      show(false, text(lang, "captcha.pow.failed"), text(lang, "captcha.pow.failed"));
      return;
    }
    const target = hexWords(challenge.challenge.toLowerCase());
    for (let from = 0; from <= challenge.maxnumber; from += POW_SLICE) {
      const end = Math.min(from + POW_SLICE, challenge.maxnumber + 1);
      for (let number = from; number < end; number++) {
        if (sha256Equals(challenge.salt + number, target)) {
          const payload = { ...challenge, number, took: Math.round(performance.now() - started) };
          delete payload.maxnumber;
          fieldset.dataset.token = btoa(JSON.stringify(payload));
          start.disabled = true;
          show(false, text(lang, "captcha.pow.done"), text(lang, "captcha.pow.done"));
          return;
        }
      }
      const percent = Math.floor((Math.min(end, challenge.maxnumber) * 100) / Math.max(challenge.maxnumber, 1));
      progress.value = percent;
      status.textContent = text(lang, "captcha.pow.working", { percent: String(percent) });
      // Let the browser paint and handle input between slices, as the widget does.
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (mine !== run) return;
    }
    show(false, text(lang, "captcha.pow.failed"), text(lang, "captcha.pow.failed"));
  }

  start.addEventListener("click", solve);
  cancel.addEventListener("click", () => {
    run++;
    show(false, text(lang, "captcha.pow.cancelled"), text(lang, "captcha.pow.cancelled"));
  });
  return fieldset;
}

// SHA-256 (FIPS 180-4) of a short ASCII string, compared with the challenge's eight words: what a
// hand-written JavaScript solver does. Written for one or two 64-byte blocks, which is all the
// ALTCHA salt plus a number ever needs.
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const W = new Int32Array(64);
const H = new Int32Array(8);

function hexWords(hex) {
  const words = new Int32Array(8);
  for (let i = 0; i < 8; i++) words[i] = parseInt(hex.slice(i * 8, i * 8 + 8), 16) | 0;
  return words;
}

function sha256Equals(ascii, target) {
  const length = ascii.length;
  const blocks = length + 9 <= 64 ? 1 : 2;
  H.set([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < 16; i++) {
      let word = 0;
      for (let j = 0; j < 4; j++) {
        const at = b * 64 + i * 4 + j;
        const byte = at < length ? ascii.charCodeAt(at) : at === length ? 0x80 : 0;
        word = (word << 8) | byte;
      }
      W[i] = word;
    }
    if (b === blocks - 1) W[15] = length * 8;
    for (let i = 16; i < 64; i++) {
      const w15 = W[i - 15];
      const w2 = W[i - 2];
      const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
      const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
      W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
    }
    let [a, bb, c, d, e, f, g, hh] = H;
    for (let i = 0; i < 64; i++) {
      const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (hh + s1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
      const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (s0 + ((a & bb) ^ (a & c) ^ (bb & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = bb;
      bb = a;
      a = (t1 + t2) | 0;
    }
    H[0] += a; H[1] += bb; H[2] += c; H[3] += d; H[4] += e; H[5] += f; H[6] += g; H[7] += hh;
  }
  for (let i = 0; i < 8; i++) if (H[i] !== target[i]) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Mounting: every [data-kiosque] element, like src/lib.rs.

function skeleton() {
  const bar = (extra) => h("div", { class: `kq-skeleton__bar${extra}` });
  return h(
    "div",
    { class: "kq-skeleton", "aria-hidden": "true" },
    bar(" kq-skeleton__bar--section"),
    bar(" kq-skeleton__bar--headline"),
    bar(" kq-skeleton__bar--headline kq-skeleton__bar--short"),
    bar(" kq-skeleton__bar--meta"),
    h("div", { class: "kq-skeleton__image" }),
    bar(""),
    bar(""),
    bar(" kq-skeleton__bar--short"),
  );
}

function sourceOf(host) {
  const param = host.getAttribute("data-src-param")?.trim();
  const fromQuery = param && new URLSearchParams(location.search).get(param);
  if (fromQuery) {
    const url = safeSrc(fromQuery);
    // Same site only, as the widget's data-src-param.
    if (url && new URL(url, location.href).origin === location.origin) return url;
  }
  return host.getAttribute("data-src").trim();
}

async function mount(host) {
  const prefix = `kq-${instances++}`;
  const attribute = (name) => host.getAttribute(name)?.trim() || null;
  const langTag = attribute("data-lang");
  const pageLang = document.documentElement.getAttribute("lang");
  host.setAttribute("data-kiosque-mounted", "");
  host.textContent = "";
  const root = h("div", { class: "kq", "data-kq-theme": attribute("data-theme") ?? "auto", lang: langOf(langTag) ?? langOf(pageLang) ?? "fr" });
  const status = h("p", { class: "kq-visually-hidden", role: "status" }, text(root.lang, "loading.article"));
  root.append(status, skeleton());
  host.append(root);

  let article;
  try {
    article = await fetchJson(sourceOf(host));
    if (typeof article?.headline !== "string" || !Array.isArray(article.body)) throw new Error("not an article");
  } catch (problem) {
    console.error(`Kiosque baseline: cannot display: ${problem.message}`);
    status.textContent = "";
    root.lastChild.replaceWith(h("div", { class: "kq-error", role: "alert" }, h("p", { class: "kq-error__title" }, text(root.lang, "error.load.title"))));
    return;
  }
  const lang = langOf(langTag) ?? langOf(article.lang) ?? langOf(pageLang) ?? "fr";
  const view = {
    lang,
    locale: intlLocale(lang, [langTag, article.lang, pageLang]),
    level: Number(attribute("data-heading-level") ?? 1),
    prefix,
    limit: Number(attribute("data-related-limit") ?? 6),
    relatedMode: attribute("data-related-mode") ?? "link",
    captcha: attribute("data-captcha") ?? "stub",
    challengeUrl: attribute("data-captcha-challenge") ?? "/api/captcha/challenge",
    email: attribute("data-email") ?? "required",
  };
  root.lang = lang;
  status.textContent = "";
  // Like the widget: the related news and the comments come in the frame after the headline's.
  // Each in its place, as Kiosque mounts them (its sections' code comes when the reader nears them).
  const place = (name, section) => section && h("div", { class: "kq-part", "data-kq-part": name }, section);
  requestAnimationFrame(() =>
    setTimeout(() => root.append(...[place("related", relatedView(article, view)), place("comments", commentsView(article, view))].filter(Boolean))),
  );
  root.lastChild.replaceWith(articleView(article, view));
}

function mountAll() {
  for (const host of document.querySelectorAll("[data-kiosque]")) {
    if (!host.hasAttribute("data-kiosque-mounted")) mount(host);
  }
}

// Like the production loader: the stylesheet first (from this file's site), so the widgets never
// show unstyled; a page that already links it (the demo page) does not wait.
const stylesheet = new URL("../kiosque.css", import.meta.url).href;
if ([...document.styleSheets].some((sheet) => sheet.href === stylesheet)) {
  mountAll();
} else {
  const link = h("link", { rel: "stylesheet", href: stylesheet });
  link.addEventListener("load", mountAll, { once: true });
  link.addEventListener("error", mountAll, { once: true });
  document.head.append(link);
}
