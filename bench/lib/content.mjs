// The benchmark's content: articles of 30, 300 and 3000 blocks, related lists of 6 and 100 items,
// and articles whose comment threads the harness seeds with 10 to 5000 comments. Generated on every
// run (deterministic, nothing committed) into a temporary content directory, next to copies of the
// fixtures that the demo and example pages show.

import { copyFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const ARTICLE_SIZES = [30, 300, 3000];
export const RELATED_SIZES = [6, 100];
export const COMMENT_SIZES = [10, 100, 1000, 5000];

/** Every reply thread holds at most this many comments, so that 5000 comments are 50 threads and
 * fit the one page of 100 threads the widget asks for (`?limit=100`): the benchmark measures
 * rendering, not clicks on "more comments". */
const COMMENTS_PER_THREAD = 100;

const PUBLISHED = "2026-11-20T08:00:00Z";
const IMAGES = [
  ["/fixtures/images/dakar-port.svg", 1200, 675],
  ["/fixtures/images/niger-champ.svg", 1200, 675],
  ["/fixtures/images/cotonou-campus.svg", 400, 225],
  ["/fixtures/images/accra-harbour.svg", 1200, 675],
];

export const articleId = (blocks) => `bench-blocks-${blocks}`;
export const relatedId = (items) => `bench-related-${items}`;
export const commentsId = (count) => `bench-comments-${count}`;

function image(n, extra = {}) {
  const [url, width, height] = IMAGES[n % IMAGES.length];
  return { url, alt: `Illustration ${n} de l’article de test.`, width, height, ...extra };
}

/** A paragraph's text, different for every `n` (so nothing collapses as a repeated run). */
function sentence(n) {
  return `Paragraphe ${n} : au port, la relève de l’équipe ${n % 7} se fait à heure fixe, et les délégués ` +
    `relisent chaque semaine le registre des heures du quai ${n % 11}, ligne par ligne, avant de signer.`;
}

/** Ten blocks with every block type the body has; an article of N blocks repeats it N/10 times,
 * so that the work per block is the same at every size and the growth should be linear. */
function chapter(c) {
  const n = c * 10;
  return [
    { type: "heading", level: 2, text: `Chapitre ${c + 1}` },
    {
      type: "paragraph",
      text: [
        { text: `${sentence(n)} Selon le ` },
        { text: "syndicat", marks: ["strong"] },
        { text: ", lire " },
        { text: "notre dossier", href: `/dossiers/port-${c}`, marks: ["em"] },
        { text: " et " },
        { text: "le site du port", href: `https://port.example/chapitre/${c}` },
        { text: "." },
      ],
    },
    { type: "paragraph", text: sentence(n + 1) },
    { type: "list", ordered: c % 2 === 0, items: [`Point ${n}.1`, `Point ${n}.2`, [{ text: `Point ${n}.3`, marks: ["code"] }]] },
    { type: "paragraph", text: sentence(n + 3) },
    { type: "quote", text: `Nous voulons voir les chiffres du chapitre ${c + 1} avant de signer.`, cite: "Une déléguée syndicale" },
    { type: "heading", level: 3, text: `Section ${c + 1}.1` },
    { type: "paragraph", text: sentence(n + 6) },
    c % 10 === 9 ? { type: "ad", slot: `bas-${c}` } : { type: "image", ...image(c, { caption: `Légende ${c + 1}.`, credit: "Photo de test" }) },
    { type: "paragraph", text: sentence(n + 9) },
  ];
}

function base(id, headline, body) {
  return {
    id,
    lang: "fr",
    section: { label: "Économie", url: "https://courrier-teranga.example/economie" },
    headline,
    dek: "Un article généré pour le banc d’essai de Kiosque.",
    authors: [{ name: "Awa Ndiaye", url: "/auteurs/awa-ndiaye" }, { name: "Moussa Sarr" }],
    published: PUBLISHED,
    image: image(0, { caption: "L’image principale.", credit: "Photo de test" }),
    tags: [{ label: "Port", url: "/tags/port" }, { label: "Emploi" }],
    body,
  };
}

export function blocksArticle(blocks) {
  const body = [];
  for (let c = 0; body.length < blocks; c++) body.push(...chapter(c));
  return base(articleId(blocks), `Un article de ${blocks} blocs`, body.slice(0, blocks));
}

/** A short article whose related list (inline items, no fetch) has `count` items. */
export function relatedArticle(count, now) {
  const items = [];
  for (let i = 0; i < count; i++) {
    // Mostly absolute dates; every fourth a few days old (shown as "il y a 3 jours"), at mid-day
    // offsets so that no relative date changes wording during a run.
    const age = i % 4 === 0 ? (2.5 + (i % 3)) * 86_400_000 : (10 + i) * 86_400_000;
    items.push({
      id: `related-${i}`,
      url: `https://courrier-teranga.example/articles/related-${i}`,
      src: "/api/articles/bench-blocks-30",
      headline: `Article lié numéro ${i + 1} : une autre histoire du port de Dakar`,
      section: { label: i % 2 ? "Sénégal" : "Monde", url: `https://courrier-teranga.example/rubrique-${i % 2}` },
      image: image(i + 1),
      published: new Date(now - age).toISOString().replace(/\.\d{3}Z$/, "Z"),
    });
  }
  const article = base(relatedId(count), `Un article et ${count} articles liés`, chapter(0).slice(0, 3));
  article.related = { title: "À lire aussi", items };
  return article;
}

/** A short article whose comments come from the server, one page of up to 100 threads. */
export function commentsArticle(count) {
  const id = commentsId(count);
  const article = base(id, `Un article et ${count} commentaires`, chapter(0).slice(0, 3));
  article.comments = { url: `/api/articles/${id}/comments?limit=100`, open: true, count };
  return article;
}

/** Writes the content directory: the fixtures' top-level articles, then the generated ones. */
export function writeContent(dir, fixturesDir, now) {
  for (const name of readdirSync(fixturesDir)) {
    if (name.endsWith(".json")) copyFileSync(join(fixturesDir, name), join(dir, name));
  }
  const articles = [
    ...ARTICLE_SIZES.map(blocksArticle),
    ...RELATED_SIZES.map((count) => relatedArticle(count, now)),
    ...COMMENT_SIZES.map(commentsArticle),
  ];
  for (const article of articles) writeFileSync(join(dir, `${article.id}.json`), JSON.stringify(article));
  return articles;
}

/** The comments of one article, in posting order, as `{ key, parentKey, body }`: threads of up to
 * 100 comments, each a first comment and its replies two levels deep (the widget nests three). */
export function commentPlan(count) {
  const plan = [];
  for (let i = 0; i < count; i++) {
    const thread = Math.floor(i / COMMENTS_PER_THREAD);
    const inThread = i % COMMENTS_PER_THREAD;
    const top = thread * COMMENTS_PER_THREAD;
    // 1st reply answers the thread, the next two answer that reply, and so on.
    const parentKey = inThread === 0 ? null : inThread % 3 === 1 ? top : i - ((inThread - 1) % 3);
    plan.push({
      key: i,
      parentKey,
      depth: inThread === 0 ? 0 : inThread % 3 === 1 ? 1 : 2,
      body: {
        author_name: `Lectrice ${i + 1}`,
        author_email: `lectrice${i + 1}@exemple.sn`,
        author_url: i % 5 === 0 ? `https://lectrice-${i + 1}.example/` : null,
        text:
          `Commentaire ${i + 1}. Merci pour cet article sur le port ; la rotation en trois équipes ` +
          `mérite un vrai bilan.\nUne deuxième ligne, pour le rythme.\n\nVoir aussi https://exemple.sn/dossier/${i + 1}.`,
        honeypot: "",
        elapsed_ms: 5000,
        idempotency_key: `bench-${count}-${i}`,
      },
    });
  }
  return plan;
}
