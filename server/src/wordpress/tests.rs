//! The mapping on answers captured from the real WordPress of scripts/wordpress.sh
//! (server/tests/fixtures/wordpress/), and the HTML conversion on broken and huge input.

use kiosque::model::{parse_article, Block};
use reqwest::Url;
use serde_json::{json, Value};

use super::html::{self, MAX_HTML_BYTES};
use super::mapping::{self, Category, Mapped, Site};

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/wordpress/", $name))
    };
}

fn read(text: &str) -> Value {
    serde_json::from_str(text).expect("fixture JSON")
}

/// The captured site (its address as it was when the answers were captured).
fn site() -> Site {
    let base = Url::parse("http://127.0.0.1:50453/").expect("url");
    mapping::site(&read(fixture!("index.json")), &base).expect("a WordPress index")
}

fn categories() -> Vec<Category> {
    mapping::categories(&read(fixture!("categories.json")))
}

/// The first post of a captured `/wp/v2/posts?slug=…&_embed` answer, mapped in French.
fn mapped(answer: &str) -> Mapped {
    let list = read(answer);
    mapping::article(&list[0], &site(), &categories(), "fr").expect("mapped")
}

/// The rows of a table block, cells joined by ", " and rows by " / ".
fn table_text(rows: &Value) -> String {
    rows.as_array()
        .map(|rows| {
            rows.iter()
                .map(|row| row.as_array().map(|cells| cells.iter().map(inline_text).collect::<Vec<_>>().join(", ")).unwrap_or_default())
                .collect::<Vec<_>>()
                .join(" / ")
        })
        .unwrap_or_default()
}

/// The text of an inline value (a string or fragments), links shown as `text<href>`.
fn inline_text(inline: &Value) -> String {
    match inline {
        Value::String(text) => text.clone(),
        Value::Array(fragments) => fragments
            .iter()
            .map(|fragment| match fragment["href"].as_str() {
                Some(href) => format!("{}<{href}>", fragment["text"].as_str().unwrap_or_default()),
                None => fragment["text"].as_str().unwrap_or_default().to_string(),
            })
            .collect(),
        _ => String::new(),
    }
}

#[test]
fn the_site_is_read_from_the_rest_index() {
    let site = site();
    assert_eq!(site.name, "Le Courrier de Test");
    assert_eq!(site.home, "http://127.0.0.1:50453");
    let base = Url::parse("https://example.org/").expect("url");
    assert_eq!(mapping::site(&json!({ "name": "x", "namespaces": ["oembed/1.0"] }), &base), None, "no wp/v2");
    assert_eq!(mapping::site(&json!({ "error": "not_found" }), &base), None);
    assert_eq!(mapping::site(&json!([1, 2]), &base), None);
}

#[test]
fn a_complete_post_becomes_a_complete_article() {
    let mapped = mapped(fixture!("greve-au-port-de-dakar.json"));
    let article = &mapped.article;
    assert_eq!(article["id"], "greve-au-port-de-dakar");
    assert_eq!(mapped.post_id, 5);
    assert_eq!(article["headline"], "Grève au port : l’heure du choix & des comptes", "entities decoded, tags removed");
    assert_eq!(article["dek"], "Les dockers « à bout » réclament des hausses de salaire.");
    assert_eq!(article["published"], "2026-11-20T09:30:00Z");
    assert_eq!(article["modified"], "2026-11-20T09:30:00Z");
    assert_eq!(article["url"], "http://127.0.0.1:50453/?p=5");
    assert_eq!(article["lang"], "fr");
    assert_eq!(article["version"], "1.1", "a WordPress body may hold tables and embeds");
    assert_eq!(article["site"], json!({ "name": "Le Courrier de Test", "url": "http://127.0.0.1:50453" }));
    assert_eq!(article["authors"], json!([{ "name": "Awa Ndiaye", "url": "http://127.0.0.1:50453/?author=1" }]));
    assert_eq!(article["section"], json!({ "label": "Sénégal", "url": "http://127.0.0.1:50453/?cat=3" }));
    let breadcrumb: Vec<&str> = article["breadcrumb"].as_array().expect("breadcrumb").iter().map(|item| item["label"].as_str().unwrap_or_default()).collect();
    assert_eq!(breadcrumb, ["Le Courrier de Test", "Afrique", "Sénégal"], "home, parent category, category");
    let tags: Vec<&str> = article["tags"].as_array().expect("tags").iter().map(|tag| tag["label"].as_str().unwrap_or_default()).collect();
    assert_eq!(tags, ["Économie", "Grève", "Port"]);
    assert_eq!(
        article["image"],
        json!({
            "url": "http://127.0.0.1:50453/wp-content/uploads/2026/11/port-de-dakar.png",
            "alt": "Des grues au-dessus des conteneurs.",
            "caption": "Le port de Dakar, à l’aube & sous la brume.",
            "width": 120,
            "height": 90,
        })
    );
    assert_eq!(article["comments"], json!({ "url": "/api/articles/greve-au-port-de-dakar/comments", "open": true }));
    assert_eq!(article["related"], json!({ "url": "/api/articles/greve-au-port-de-dakar/related" }));
    assert_eq!(mapped.dropped, Vec::<String>::new(), "nothing left out of a clean post");

    // The widget's own parser takes it, and sees the repeated run of paragraphs.
    let parsed = parse_article(&serde_json::to_string(article).expect("JSON")).expect("a valid article");
    assert!(parsed.notices.iter().any(|notice| notice.to_string().contains("repeated")), "{:?}", parsed.notices);
    assert_eq!(parsed.article.body.iter().filter(|block| matches!(block, Block::Divider)).count(), 1);
}

#[test]
fn every_block_of_the_block_editor_is_mapped() {
    let mapped = mapped(fixture!("greve-au-port-de-dakar.json"));
    let body = mapped.article["body"].as_array().expect("body");
    let summary: Vec<String> = body
        .iter()
        .map(|block| match block["type"].as_str().unwrap_or_default() {
            "heading" => format!("h{} {}", block["level"], inline_text(&block["text"])),
            "list" => format!(
                "{} {}",
                if block["ordered"] == true { "ol" } else { "ul" },
                block["items"].as_array().map(|items| items.iter().map(inline_text).collect::<Vec<_>>().join(" | ")).unwrap_or_default()
            ),
            "quote" => format!("quote {} — {}", inline_text(&block["text"]), block["cite"].as_str().unwrap_or_default()),
            "image" => format!("image {} {}×{} {}", block["alt"].as_str().unwrap_or_default(), block["width"], block["height"], block["caption"].as_str().unwrap_or_default()),
            "divider" => "hr".to_string(),
            "table" => format!(
                "table {} | head {} | rows {}",
                block["caption"].as_str().unwrap_or_default(),
                table_text(&block["head"]),
                table_text(&block["rows"])
            ),
            "embed" => format!("embed {} {} {}", block["provider"].as_str().unwrap_or_default(), block["url"].as_str().unwrap_or_default(), block["title"].as_str().unwrap_or_default()),
            "paragraph" => format!("p {}", inline_text(&block["text"])),
            other => other.to_string(),
        })
        .collect();
    assert_eq!(
        summary,
        [
            "p Le port autonome de Dakar tourne au ralenti depuis l’annonce : la commande grep n’y peut rien. Lire notre dossier<https://courrier.example/dossiers/port>, la rubrique<http://127.0.0.1:50453/senegal/> ou écrire<mailto:redaction@example.com> & réagir.",
            "h2 Un titre de niveau un",
            "h2 Ce que disent les dockers",
            "h3 Les revendications",
            "h4 Les salaires",
            "h4 Les primes",
            "h4 Les heures de nuit",
            "ul Randoulène | Cité Lamy | Diakhao",
            "ol Voter | Négocier",
            "quote Nous ne lâcherons rien. — Le syndicat des dockers",
            "image Un quai au petit matin 120×90 Le quai nord, lundi.",
            "hr",
            "table Navires à quai, lundi | head Quai, Navires | rows Nord, 12 / Sud, 7",
            "embed YouTube https://www.youtube.com/watch?v=dQw4w9WgXcQ Le reportage vidéo",
            "p Les dockers ont voté la grève à main levée.",
            "p Le mouvement commence lundi à six heures.",
            "p Les dockers ont voté la grève à main levée.",
            "p Le mouvement commence lundi à six heures.",
            "p Fin de l’article.",
        ]
    );
    let first = &body[0]["text"];
    assert_eq!(first[1], json!({ "text": "port autonome", "marks": ["strong"] }));
    assert_eq!(first[3], json!({ "text": "ralenti", "marks": ["em"] }));
    assert_eq!(first[5], json!({ "text": "grep", "marks": ["code"] }));
    assert_eq!(body[7]["items"][1], json!([{ "text": "Cité " }, { "text": "Lamy", "marks": ["strong"] }]));
}

#[test]
fn hostile_markup_never_gets_through_and_its_text_stays() {
    let mapped = mapped(fixture!("contenu-hostile.json"));
    let written = serde_json::to_string(&mapped.article).expect("JSON");
    for forbidden in ["<script", "script>", "alert", "javascript", "data:", "evil.example", "onclick", "onerror", "onmouseover", "pwned", "display: none", "<svg", "<iframe"] {
        assert!(!written.contains(forbidden), "{forbidden} in {written}");
    }
    assert_eq!(mapped.article["headline"], "Un article piégé");
    assert_eq!(mapped.article["comments"]["open"], false);
    let texts: Vec<String> = mapped.article["body"].as_array().expect("body").iter().filter(|block| block["type"] == "paragraph").map(|block| inline_text(&block["text"])).collect();
    assert_eq!(
        texts,
        [
            "Avant le script. Après le script.",
            "Un paragraphe au lien piégé, un autre et un lien sain<https://courrier.example/sain>.",
            "Texte de repli de l’objet",
            "La fin reste lisible.",
        ]
    );
    for reported in ["<script>", "<style>", "<iframe>", "<object>", "<svg>", "a javascript: link", "a data: link", "onclick", "onmouseover", "onerror", "an image with a javascript: address"] {
        assert!(mapped.dropped.iter().any(|dropped| dropped.contains(reported)), "{reported} not reported in {:?}", mapped.dropped);
    }
    assert!(parse_article(&written).is_ok());
}

#[test]
fn a_password_protected_post_has_its_header_and_a_note() {
    let mapped = mapped(fixture!("reserve-aux-abonnes.json"));
    let article = &mapped.article;
    assert_eq!(article["headline"], "Réservé aux abonnés");
    assert_eq!(article["dek"], Value::Null, "the excerpt is protected too");
    assert_eq!(article["authors"][0]["name"], "Moussa Diop");
    assert_eq!(article["section"]["label"], "Sénégal");
    assert_eq!(
        article["body"],
        json!([{ "type": "paragraph", "text": [
            { "text": "Cet article est protégé par un mot de passe. " },
            { "text": "Le lire sur le site de l’éditeur.", "href": "http://127.0.0.1:50453/?p=7" },
        ] }])
    );
    assert!(!serde_json::to_string(article).expect("JSON").contains("secret"));
    let english = mapping::article(&read(fixture!("reserve-aux-abonnes.json"))[0], &site(), &categories(), "en-GB").expect("mapped");
    assert_eq!(english.article["body"][0]["text"][0]["text"], "This article is password-protected. ");
    assert_eq!(english.article["lang"], "en-GB");
}

#[test]
fn titles_are_text() {
    assert_eq!(html::text("Un article <script>alert(1)</script>piégé"), "Un article piégé");
    assert_eq!(html::text("L&#8217;été &amp; <b>la</b>\n  pluie"), "L’été & la pluie");
    assert_eq!(html::text(""), "");
}

#[test]
fn broken_html_is_read_as_a_browser_would() {
    let base = Url::parse("https://news.example/").expect("url");
    let converted = html::blocks("<p>Un <strong>paragraphe <em>mal</p> fermé</strong><li>orphelin<h2>Titre <p>coupé</h3>texte nu &eacute;", &base);
    let texts: Vec<String> = converted.blocks.iter().map(|block| format!("{} {}", block["type"].as_str().unwrap_or_default(), inline_text(&block["text"]))).collect();
    assert!(texts.iter().any(|text| text.contains("Un paragraphe mal")), "{texts:?}");
    assert!(texts.iter().any(|text| text.contains("Titre")), "{texts:?}");
    assert!(texts.iter().any(|text| text.contains("texte nu é")), "{texts:?}");
    // Whatever the input, the result is an article the widget takes.
    let article = json!({ "id": "x", "headline": "x", "published": "2026-11-20T09:30:00Z", "body": converted.blocks });
    assert!(parse_article(&article.to_string()).is_ok());
}

#[test]
fn huge_and_deep_html_is_bounded() {
    let base = Url::parse("https://news.example/").expect("url");
    let huge = "<p>Une phrase qui se répète.</p>".repeat(MAX_HTML_BYTES / 30 + 1000);
    let started = std::time::Instant::now();
    let converted = html::blocks(&huge, &base);
    eprintln!("{} bytes of HTML → {} blocks in {:?}", huge.len(), converted.blocks.len(), started.elapsed());
    assert!(converted.blocks.len() <= 5000);
    assert!(converted.dropped.iter().any(|dropped| dropped.contains("bytes")), "{:?}", converted.dropped);

    let deep = format!("{}au fond{}", "<div><blockquote><span>".repeat(5000), "</span></blockquote></div>".repeat(5000));
    let converted = html::blocks(&deep, &base);
    assert!(converted.dropped.iter().any(|dropped| dropped.contains("elements deep")), "{:?}", converted.dropped);
    let converted_lt = html::blocks(&"<a<b".repeat(MAX_HTML_BYTES / 4), &base);
    assert!(converted_lt.blocks.len() <= 5000);
    let article = json!({ "id": "x", "headline": "x", "published": "2026-11-20T09:30:00Z", "body": converted.blocks });
    assert!(parse_article(&article.to_string()).is_ok());
}

#[test]
fn a_post_without_categories_tags_or_image_has_none() {
    let post = json!({
        "id": 9, "slug": "", "date_gmt": "2026-11-20T09:30:00", "link": "https://news.example/?p=9",
        "title": { "rendered": "" }, "content": { "rendered": "<p>Texte</p>", "protected": false },
        "excerpt": { "rendered": "", "protected": false }, "comment_status": "closed",
        "_embedded": { "wp:featuredmedia": [{ "code": "rest_forbidden" }] },
    });
    let mapped = mapping::article(&post, &site(), &[], "fr").expect("mapped");
    assert_eq!(mapped.article["id"], "9", "the post number when there is no slug");
    assert_eq!(mapped.article["headline"], "9", "a headline is required");
    for absent in ["section", "breadcrumb", "tags", "image", "authors", "dek"] {
        assert_eq!(mapped.article[absent], Value::Null, "{absent}");
    }
    assert!(parse_article(&mapped.article.to_string()).is_ok());
    assert_eq!(mapping::article(&json!({ "id": 1 }), &site(), &[], "fr"), None, "no date");
}

fn converted(html: &str) -> html::Converted {
    html::blocks(html, &Url::parse("https://news.example/").expect("url"))
}

/// The blocks of `html` inside an article the widget's own parser must take.
fn parsed_blocks(converted: &html::Converted) -> Vec<Block> {
    let article = json!({ "version": "1.1", "id": "x", "headline": "x", "published": "2026-11-20T09:30:00Z", "body": converted.blocks });
    parse_article(&article.to_string()).expect("a valid article").article.body
}

#[test]
fn a_table_keeps_its_sections_caption_and_marks() {
    let converted = converted(
        "<table><caption> Tarifs </caption><thead><tr><th>Ligne</th><th>Prix</th></tr></thead>\
         <tbody><tr><td><strong>Dakar</strong>–Thiès</td><td><a href=\"/tarifs\">1 500</a> F</td></tr><tr></tr></tbody>\
         <tfoot><tr><td>Total</td><td onclick=\"x()\">3 000</td></tr></tfoot></table>",
    );
    assert_eq!(
        converted.blocks,
        vec![json!({
            "type": "table",
            "caption": "Tarifs",
            "head": [[[{ "text": "Ligne" }], [{ "text": "Prix" }]]],
            "rows": [
                [[{ "text": "Dakar", "marks": ["strong"] }, { "text": "–Thiès" }], [{ "text": "1 500", "href": "https://news.example/tarifs" }, { "text": " F" }]],
                [[{ "text": "Total" }], [{ "text": "3 000" }]],
            ],
        })]
    );
    assert!(converted.dropped.iter().any(|dropped| dropped.contains("onclick")), "{:?}", converted.dropped);
    let blocks = parsed_blocks(&converted);
    let [Block::Table(table)] = blocks.as_slice() else { panic!("one table") };
    assert_eq!(table.rows.len(), 2);
}

#[test]
fn a_first_row_of_headers_is_the_header_when_there_is_no_thead() {
    let converted = converted("<figure class=\"wp-block-table\"><table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td><table><tr><td>imbriqué</td></tr></table></td></tr></table><figcaption>Légende</figcaption></figure>");
    let [block] = converted.blocks.as_slice() else { panic!("one block: {:?}", converted.blocks) };
    assert_eq!(block["head"], json!([[[{ "text": "A" }], [{ "text": "B" }]]]));
    assert_eq!(block["caption"], "Légende", "the figure's caption");
    assert_eq!(block["rows"][0][1], json!([{ "text": "imbriqué" }]), "a nested table's text stays in its cell, its rows are not the outer table's");
    assert_eq!(block["rows"].as_array().map(Vec::len), Some(1));
    assert_eq!(parsed_blocks(&converted).len(), 1);
}

#[test]
fn a_huge_table_is_cut_to_the_contract_limits_and_says_so() {
    let row = format!("<tr>{}</tr>", "<td>c</td>".repeat(60));
    let converted = converted(&format!("<table>{}</table><table><tr><td> </td></tr></table>", row.repeat(1100)));
    assert_eq!(converted.blocks.len(), 1, "the blank table is left out");
    assert_eq!(converted.blocks[0]["rows"].as_array().map(Vec::len), Some(1000));
    assert_eq!(converted.blocks[0]["rows"][0].as_array().map(Vec::len), Some(50));
    for reported in ["100 table row(s)", "10000 table cell(s)"] {
        assert!(converted.dropped.iter().any(|dropped| dropped.contains(reported)), "{reported} in {:?}", converted.dropped);
    }
    assert_eq!(parsed_blocks(&converted).len(), 1, "still an article the widget takes");
}

#[test]
fn an_embed_is_a_link_card_never_a_frame() {
    let converted = converted(
        "<figure class=\"wp-block-embed is-type-video is-provider-vimeo wp-block-embed-vimeo\"><div class=\"wp-block-embed__wrapper\">\
         <iframe src=\"https://player.vimeo.com/video/1\"></iframe></div><figcaption>Le film</figcaption></figure>\
         <figure class=\"wp-block-embed wp-block-embed-wordpress-tv\"><div class=\"wp-block-embed__wrapper\">https://wordpress.tv/2026/a/</div></figure>\
         <figure class=\"wp-block-embed\"><div class=\"wp-block-embed__wrapper\">https://www.podcast.example/episode-3</div></figure>\
         <figure class=\"wp-block-embed is-provider-youtube\"><div class=\"wp-block-embed__wrapper\">javascript:alert(1)</div></figure>",
    );
    assert_eq!(
        converted.blocks,
        vec![
            json!({ "type": "embed", "provider": "Vimeo", "url": "https://player.vimeo.com/video/1", "title": "Le film" }),
            json!({ "type": "embed", "provider": "WordPress.tv", "url": "https://wordpress.tv/2026/a/" }),
            json!({ "type": "embed", "provider": "podcast.example", "url": "https://www.podcast.example/episode-3" }),
        ]
    );
    for reported in ["<iframe> of an embed", "an embed without an http(s) address"] {
        assert!(converted.dropped.iter().any(|dropped| dropped.contains(reported)), "{reported} in {:?}", converted.dropped);
    }
    assert!(!serde_json::to_string(&converted.blocks).expect("JSON").contains("javascript"));
    assert!(matches!(parsed_blocks(&converted).as_slice(), [Block::Embed(_), Block::Embed(_), Block::Embed(_)]));
}

#[test]
fn a_percent_encoded_slug_is_the_id_as_text() {
    // What WordPress's REST API gives for a post titled « داكار » (utf8_uri_encode, lower case).
    assert_eq!(mapping::slug_id("%d8%af%d8%a7%d9%83%d8%a7%d8%b1"), "داكار");
    assert_eq!(mapping::slug_id("lete-a-dakar"), "lete-a-dakar");
    assert_eq!(mapping::slug_id("%ff%fe-broken"), "%ff%fe-broken", "not UTF-8: kept as WordPress wrote it");
    let mut post = read(fixture!("greve-au-port-de-dakar.json"))[0].clone();
    post["slug"] = json!("%d8%af%d8%a7%d9%83%d8%a7%d8%b1");
    let article = mapping::article(&post, &site(), &categories(), "fr").expect("mapped").article;
    assert_eq!(article["id"], "داكار");
    assert_eq!(article["comments"]["url"], "/api/articles/%D8%AF%D8%A7%D9%83%D8%A7%D8%B1/comments");
    assert!(parse_article(&article.to_string()).is_ok(), "the contract takes it");
}
