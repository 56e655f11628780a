<?php
// Installs the test site of scripts/wordpress.sh and writes its content with WordPress's own
// functions, as an editor with unfiltered_html would in the block editor.
//   php scripts/wordpress-site.php SITE_DIR URL
[$_, $site, $url] = $argv;
$parts = parse_url($url);
$_SERVER['HTTP_HOST'] = $parts['host'] . ':' . $parts['port'];
$_SERVER['SERVER_NAME'] = $parts['host'];
$_SERVER['REQUEST_URI'] = '/';
define('WP_INSTALLING', true);
require $site . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/image.php';

function check($result, $what) {
    if (is_wp_error($result) || !$result) {
        fwrite(STDERR, "$what failed: " . (is_wp_error($result) ? $result->get_error_message() : 'false') . "\n");
        exit(1);
    }
    return $result;
}

// No mail leaves a test site (wp_install tells the administrator; there is no sendmail here).
add_filter('pre_wp_mail', '__return_false');
$installed = wp_install('Le Courrier de Test', 'redaction', 'redaction@example.com', true, '', 'redaction-password', 'fr_FR');
check($installed['user_id'] ?? 0, 'wp_install');
// Plain permalinks: the REST API only answers at ?rest_route=, as on many small sites.
update_option('permalink_structure', '');
update_option('timezone_string', 'Africa/Dakar');
$editor = $installed['user_id'];
wp_update_user(['ID' => $editor, 'display_name' => 'Awa Ndiaye', 'user_url' => 'https://courrier.example/awa']);
// An administrator of a single site has unfiltered_html: kses leaves the hostile post as written.
wp_set_current_user($editor);
$reporter = check(wp_insert_user(['user_login' => 'moussa', 'user_pass' => 'moussa-password', 'display_name' => 'Moussa Diop', 'role' => 'author']), 'wp_insert_user');

$afrique = check(wp_insert_term('Afrique', 'category', ['slug' => 'afrique']), 'category')['term_id'];
$senegal = check(wp_insert_term('Sénégal', 'category', ['slug' => 'senegal', 'parent' => $afrique]), 'category')['term_id'];
$sport = check(wp_insert_term('Sport', 'category', ['slug' => 'sport']), 'category')['term_id'];

// A PNG made here (no image library needed): 120 × 90, one colour.
function png($width, $height) {
    $chunk = function ($type, $data) {
        return pack('N', strlen($data)) . $type . $data . pack('N', crc32($type . $data));
    };
    $rows = str_repeat("\0" . str_repeat("\x1f\x6f\xb2", $width), $height);
    return "\x89PNG\r\n\x1a\n" . $chunk('IHDR', pack('NNCCCCC', $width, $height, 8, 2, 0, 0, 0))
        . $chunk('IDAT', gzcompress($rows)) . $chunk('IEND', '');
}
$upload = wp_upload_bits('port-de-dakar.png', null, png(120, 90));
check(empty($upload['error']), 'wp_upload_bits');
$image = check(wp_insert_attachment([
    'post_mime_type' => 'image/png',
    'post_title' => 'Le port de Dakar',
    'post_excerpt' => 'Le <em>port</em> de Dakar, à l’aube &amp; sous la brume.',
    'post_status' => 'inherit',
], $upload['file']), 'wp_insert_attachment');
wp_update_attachment_metadata($image, wp_generate_attachment_metadata($image, $upload['file']));
update_post_meta($image, '_wp_attachment_image_alt', 'Des grues au-dessus des conteneurs.');
$image_url = wp_get_attachment_url($image);

function post($fields) {
    $id = check(wp_insert_post($fields + ['post_status' => 'publish', 'post_type' => 'post'], true), 'wp_insert_post ' . ($fields['post_name'] ?? $fields['post_title']));
    return $id;
}

$repeated = '<!-- wp:paragraph --><p>Les dockers ont voté la grève à main levée.</p><!-- /wp:paragraph -->'
    . '<!-- wp:paragraph --><p>Le mouvement commence lundi à six heures.</p><!-- /wp:paragraph -->';
$complete = <<<HTML
<!-- wp:paragraph -->
<p>Le <strong>port autonome</strong> de Dakar tourne au <em>ralenti</em> depuis l'annonce : la commande <code>grep</code> n'y peut rien. Lire <a href="https://courrier.example/dossiers/port">notre dossier</a>, <a href="/senegal/">la rubrique</a> ou <a href="mailto:redaction@example.com">écrire</a> &amp; réagir.</p>
<!-- /wp:paragraph -->
<!-- wp:heading {"level":1} --><h1>Un titre de niveau un</h1><!-- /wp:heading -->
<!-- wp:heading --><h2>Ce que disent les dockers</h2><!-- /wp:heading -->
<!-- wp:heading {"level":3} --><h3>Les revendications</h3><!-- /wp:heading -->
<!-- wp:heading {"level":4} --><h4>Les salaires</h4><!-- /wp:heading -->
<!-- wp:heading {"level":5} --><h5>Les primes</h5><!-- /wp:heading -->
<!-- wp:heading {"level":6} --><h6>Les heures de nuit</h6><!-- /wp:heading -->
<!-- wp:list --><ul><li>Randoulène</li><li>Cité <strong>Lamy</strong></li><li>Diakhao</li></ul><!-- /wp:list -->
<!-- wp:list {"ordered":true} --><ol><li>Voter</li><li>Négocier</li></ol><!-- /wp:list -->
<!-- wp:quote --><blockquote class="wp-block-quote"><p>Nous ne lâcherons rien.</p><cite>Le syndicat des dockers</cite></blockquote><!-- /wp:quote -->
<!-- wp:image {"id":$image,"sizeSlug":"full"} --><figure class="wp-block-image size-full"><img src="$image_url" alt="Un quai au petit matin" class="wp-image-$image" width="120" height="90"/><figcaption>Le quai <strong>nord</strong>, lundi.</figcaption></figure><!-- /wp:image -->
<!-- wp:separator --><hr class="wp-block-separator has-alpha-channel-opacity"/><!-- /wp:separator -->
<!-- wp:table --><figure class="wp-block-table"><table><thead><tr><th>Quai</th><th>Navires</th></tr></thead><tbody><tr><td>Nord</td><td>12</td></tr><tr><td>Sud</td><td>7</td></tr></tbody></table><figcaption>Navires à quai, lundi</figcaption></figure><!-- /wp:table -->
<!-- wp:embed {"url":"https://www.youtube.com/watch?v=dQw4w9WgXcQ","type":"video","providerNameSlug":"youtube","responsive":true} -->
<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube"><div class="wp-block-embed__wrapper">
https://www.youtube.com/watch?v=dQw4w9WgXcQ
</div><figcaption>Le reportage vidéo</figcaption></figure>
<!-- /wp:embed -->
$repeated$repeated
<!-- wp:paragraph --><p>Fin de l'article.</p><!-- /wp:paragraph -->
HTML;
$complete_id = post([
    'post_name' => 'greve-au-port-de-dakar',
    'post_title' => 'Grève au port : l’heure du <em>choix</em> &amp; des comptes',
    'post_excerpt' => 'Les dockers &laquo; à bout &raquo; réclament des hausses de salaire.',
    'post_content' => $complete,
    'post_author' => $editor,
    'post_date' => '2026-11-20 09:30:00',
    'comment_status' => 'open',
    'post_category' => [$senegal],
]);
wp_set_post_terms($complete_id, ['Port', 'Grève', 'Économie'], 'post_tag');
set_post_thumbnail($complete_id, $image);

$hostile = <<<'HTML'
<!-- wp:paragraph --><p>Avant le script.<script>document.title = 'pwned'</script> Après le script.</p><!-- /wp:paragraph -->
<!-- wp:html --><style>body { display: none }</style><!-- /wp:html -->
<!-- wp:paragraph --><p onclick="alert(1)">Un paragraphe <a href="javascript:alert(1)">au lien piégé</a>, <a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">un autre</a> et <a href="https://courrier.example/sain" onmouseover="alert(2)">un lien sain</a>.</p><!-- /wp:paragraph -->
<!-- wp:html --><iframe src="https://evil.example/frame"></iframe><object data="https://evil.example/x.swf"><p>Texte de repli de l'objet</p></object><!-- /wp:html -->
<!-- wp:html --><svg width="10" height="10"><script>alert(3)</script><text>dans le svg</text></svg><!-- /wp:html -->
<!-- wp:image --><figure class="wp-block-image"><img src="javascript:alert(4)" alt="piège" onerror="alert(5)"/></figure><!-- /wp:image -->
<!-- wp:paragraph --><p>La fin <img src="x" onerror="alert(6)"> reste lisible.</p><!-- /wp:paragraph -->
HTML;
$hostile_id = post([
    'post_name' => 'contenu-hostile',
    'post_title' => 'Un article <script>alert(1)</script>piégé',
    'post_content' => $hostile,
    'post_author' => $editor,
    'post_date' => '2026-11-18 08:00:00',
    'comment_status' => 'closed',
    'post_category' => [$senegal],
]);

$protected_id = post([
    'post_name' => 'reserve-aux-abonnes',
    'post_title' => 'Réservé aux abonnés',
    'post_content' => '<!-- wp:paragraph --><p>Le contenu secret.</p><!-- /wp:paragraph -->',
    'post_excerpt' => 'Un extrait secret.',
    'post_password' => 'abonne',
    'post_author' => $reporter,
    'post_date' => '2026-11-19 07:00:00',
    'post_category' => [$senegal],
]);

// Plain posts for related news: two more in Sénégal, three in Sport (the newest posts of the site).
foreach ([
    ['thies-coupure-samedi', 'Coupure d’électricité samedi à Thiès', '2026-11-17 10:00:00', $senegal],
    ['saint-louis-pont', 'Le pont de Saint-Louis rouvre', '2026-11-16 10:00:00', $senegal],
    ['lions-qualifies', 'Les Lions qualifiés', '2026-11-21 20:00:00', $sport],
    ['lutte-arene', 'Lutte : l’arène affiche complet', '2026-11-22 18:00:00', $sport],
    ['marathon-dakar', 'Le marathon de Dakar', '2026-11-23 07:00:00', $sport],
] as [$slug, $title, $date, $category]) {
    post([
        'post_name' => $slug,
        'post_title' => $title,
        'post_content' => "<!-- wp:paragraph --><p>$title : le détail.</p><!-- /wp:paragraph -->",
        'post_author' => $reporter,
        'post_date' => $date,
        'post_category' => [$category],
    ]);
}
// wp_install's sample post and page are not news.
wp_delete_post(1, true);
wp_delete_post(2, true);

// Titles whose slugs are not plain ASCII: WordPress transliterates accents (« lete-a-dakar ») and
// percent-encodes what it cannot (« داكار » becomes %d8%af…).
$summer_id = post([
    'post_title' => 'L’été à Dakar',
    'post_content' => '<!-- wp:paragraph --><p>La saison des pluies arrive.</p><!-- /wp:paragraph -->',
    'post_author' => $reporter,
    'post_date' => '2026-11-15 10:00:00',
    'post_category' => [$senegal],
]);
$arabic_id = post([
    'post_title' => 'داكار',
    'post_content' => '<!-- wp:paragraph --><p>Dakar en écriture arabe.</p><!-- /wp:paragraph -->',
    'post_author' => $reporter,
    'post_date' => '2026-11-14 10:00:00',
    'post_category' => [$senegal],
]);

// Comments in every status, replies three deep, written as wp_insert_comment stores them (no
// filter: what a site imported years ago may hold anything). Dates in GMT, a minute apart.
function comment($post, $fields) {
    static $minute = 0;
    $minute++;
    $date = gmdate('Y-m-d H:i:s', strtotime('2026-11-20 10:00:00 UTC') + 60 * $minute);
    return check(wp_insert_comment($fields + [
        'comment_post_ID' => $post,
        'comment_author_email' => 'lecteur@example.sn',
        'comment_author_url' => '',
        'comment_author_IP' => '192.0.2.10',
        'comment_date' => $date,
        'comment_date_gmt' => $date,
        'comment_approved' => 1,
        'comment_type' => 'comment',
        'comment_parent' => 0,
    ]), 'wp_insert_comment');
}
$first = comment($complete_id, ['comment_author' => 'Awa Ndiaye', 'comment_author_email' => 'awa@example.sn', 'comment_author_url' => 'https://awa.example',
    'comment_content' => "Merci pour cet article.\n\nUne question : <strong>quand</strong> reprend le travail ?"]);
$second = comment($complete_id, ['comment_author' => 'Moussa Diop', 'comment_parent' => $first,
    'comment_content' => 'Lundi, selon <a href="https://syndicat.example/communique">le communiqué</a>.']);
$third = comment($complete_id, ['comment_author' => 'Fatou Sall', 'comment_parent' => $second, 'comment_content' => 'Réponse au niveau trois.']);
comment($complete_id, ['comment_author' => 'Ibrahima Fall', 'comment_parent' => $third, 'comment_content' => 'Réponse au niveau quatre.']);
$held = comment($complete_id, ['comment_author' => 'En attente', 'comment_parent' => $first, 'comment_approved' => 0, 'comment_content' => 'Commentaire en attente de modération.']);
comment($complete_id, ['comment_author' => 'Sous attente', 'comment_parent' => $held, 'comment_content' => 'Réponse approuvée sous un commentaire en attente.']);
$spam = comment($complete_id, ['comment_author' => 'Pilules', 'comment_approved' => 'spam', 'comment_content' => 'Achetez des pilules.']);
comment($complete_id, ['comment_author' => 'Sous spam', 'comment_parent' => $spam, 'comment_content' => 'Réponse approuvée sous un spam.']);
comment($complete_id, ['comment_author' => 'Corbeille', 'comment_approved' => 'trash', 'comment_content' => 'Commentaire mis à la corbeille.']);
comment($complete_id, ['comment_author' => 'Un blog', 'comment_type' => 'pingback', 'comment_content' => '[…] un rétrolien […]']);
comment($complete_id, ['comment_author' => 'Pirate <script>window.__pwned = "name"</script>', 'comment_author_url' => 'javascript:window.__pwned="url"',
    'comment_content' => '<p>Bonjour<script>window.__pwned = "script"</script> <img src="x" onerror="window.__pwned = \'img\'"> <a href="javascript:window.__pwned=\'link\'">cliquez</a> <a href="data:text/html,x">ici</a> fin.</p>']);
comment($summer_id, ['comment_author' => 'Awa Ndiaye', 'comment_content' => 'Vivement la pluie.']);

// What Kiosque's README asks of a publisher (--comments wordpress), as a must-use plugin; and,
// for tests that post from one address many times, no flood throttle (a test removes the file).
$mu_plugins = WP_CONTENT_DIR . '/mu-plugins';
check(is_dir($mu_plugins) || mkdir($mu_plugins, 0755, true), 'mkdir mu-plugins');
check(file_put_contents("$mu_plugins/kiosque-comments.php", "<?php\nadd_filter( 'rest_allow_anonymous_comments', '__return_true' );\n"), 'mu-plugin');
check(file_put_contents("$mu_plugins/kiosque-test-no-flood.php", "<?php\nadd_filter( 'comment_flood_filter', '__return_false', 20 );\n"), 'mu-plugin');

// The site's export, made by WordPress itself (Tools › Export), for import-wxr.
require_once ABSPATH . 'wp-admin/includes/export.php';
ob_start();
export_wp(['content' => 'all']);
check(file_put_contents(dirname($site) . '/export.xml', ob_get_clean()), 'export_wp');

echo "installed: post $complete_id (complete), $hostile_id (hostile), $protected_id (protected), $summer_id and $arabic_id (non-ASCII titles)\n";
