#!/usr/bin/env bash
# A throwaway WordPress for tests, from Debian's packages (installed when missing): MariaDB with its
# data in DIR on a free loopback port, PHP's built-in server on another, and the site installed and
# filled by scripts/wordpress-site.php with WordPress's own functions (no SQL of ours).
#   scripts/wordpress.sh start DIR   create the site in DIR if needed, start it, print its URL on stdout
#   scripts/wordpress.sh stop DIR    stop PHP and MariaDB (a second start brings the same site back)
#   scripts/wordpress.sh url DIR     print the URL of the site
# Nothing global is touched: Debian's wp-config.php reads /etc/wordpress/config-HOST.php, so DIR gets
# its own copy of WordPress's top-level files (wp-load.php sets ABSPATH from where it is) with its own
# wp-config.php, and symbolic links to the rest of /usr/share/wordpress.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
WORDPRESS=/usr/share/wordpress

install_wordpress() {
  [ -f "$WORDPRESS/wp-load.php" ] && command -v php >/dev/null && command -v mariadbd >/dev/null \
    && php -m 2>/dev/null | grep -x mysqli >/dev/null && return 0
  echo "== installing wordpress php-cli php-mysql mariadb-server (Debian)" >&2
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq >&2
  # policy-rc.d (or no init system) keeps the package's own MariaDB from being started.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wordpress php-cli php-mysql mariadb-server >&2
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

url() { echo "http://127.0.0.1:$(cat "$1/web.port")"; }

# mariadbd refuses to run as root unless told which user to be; root keeps DIR's ownership simple.
as_user=()
[ "$(id -u)" = 0 ] && as_user=(--user=root)

start_database() {
  local dir=$1
  if [ ! -d "$dir/db/mysql" ]; then
    mariadb-install-db --no-defaults --datadir="$dir/db" "${as_user[@]}" --auth-root-authentication-method=normal \
      --skip-test-db >"$dir/db-install.log" 2>&1 || { cat "$dir/db-install.log" >&2; exit 1; }
  fi
  [ -f "$dir/db.port" ] || free_port > "$dir/db.port"
  # setsid: the server outlives this script and ignores the terminal's signals.
  setsid mariadbd --no-defaults --datadir="$dir/db" "${as_user[@]}" --bind-address=127.0.0.1 --port="$(cat "$dir/db.port")" \
    --socket="$dir/mysql.sock" --pid-file="$dir/mysqld.pid" --log-error="$dir/mysqld.log" --skip-log-bin \
    --innodb-buffer-pool-size=32M </dev/null >/dev/null 2>&1 &
  for _ in $(seq 1 300); do
    mariadb-admin --no-defaults -S "$dir/mysql.sock" -u root ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "MariaDB did not start; its log:" >&2
  cat "$dir/mysqld.log" >&2
  exit 1
}

make_site() {
  local dir=$1 site=$1/site
  mkdir -p "$site/wp-content/uploads"
  for entry in "$WORDPRESS"/*; do
    name=$(basename "$entry")
    case "$name" in
      wp-config.php|wp-content) ;;
      *.php) cp "$entry" "$site/$name" ;;
      *) ln -sfn "$entry" "$site/$name" ;;
    esac
  done
  for entry in "$WORDPRESS"/wp-content/*; do ln -sfn "$entry" "$site/wp-content/$(basename "$entry")"; done
  cat > "$site/wp-config.php" <<EOF
<?php
define('DB_NAME', 'wordpress');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', 'localhost:$dir/mysql.sock');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('WP_HOME', '$(url "$dir")');
define('WP_SITEURL', '$(url "$dir")');
define('WP_CONTENT_DIR', '$site/wp-content');
// Only loopback: no update checks, and YouTube's oEmbed fails at once instead of timing out.
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('DISABLE_WP_CRON', true);
define('WP_DEBUG', false);
foreach (['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'] as \$key) {
  define(\$key, 'kiosque-test-$(basename "$dir")-' . \$key);
}
\$table_prefix = 'wp_';
if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
EOF
}

command=${1:-}
dir=${2:-}
[ -n "$command" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|url DIR" >&2; exit 2; }

case "$command" in
  start)
    install_wordpress
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ -f "$dir/web.port" ] || free_port > "$dir/web.port"
    start_database "$dir"
    if [ ! -f "$dir/site/wp-config.php" ]; then
      make_site "$dir"
      mariadb --no-defaults -S "$dir/mysql.sock" -u root -e 'CREATE DATABASE IF NOT EXISTS wordpress CHARACTER SET utf8mb4'
    fi
    if [ ! -f "$dir/installed" ]; then
      php -d display_errors=stderr "$HERE/wordpress-site.php" "$dir/site" "$(url "$dir")" >"$dir/install.log" 2>&1 \
        || { cat "$dir/install.log" >&2; exit 1; }
      touch "$dir/installed"
    fi
    setsid php -S "127.0.0.1:$(cat "$dir/web.port")" -t "$dir/site" </dev/null >"$dir/php.log" 2>&1 &
    echo $! > "$dir/php.pid"
    for _ in $(seq 1 100); do
      curl -fsS -o /dev/null "$(url "$dir")/?rest_route=/" 2>/dev/null && { url "$dir"; exit 0; }
      sleep 0.1
    done
    echo "WordPress does not answer on $(url "$dir"); PHP's log:" >&2
    cat "$dir/php.log" >&2
    exit 1
    ;;
  stop)
    dir=$(cd "$dir" 2>/dev/null && pwd) || exit 0
    if [ -f "$dir/php.pid" ]; then
      # SIGCONT too: a frozen PHP (a test's SIGSTOP) only acts on SIGTERM once it runs again.
      kill "$(cat "$dir/php.pid")" 2>/dev/null || true
      kill -CONT "$(cat "$dir/php.pid")" 2>/dev/null || true
      rm -f "$dir/php.pid"
    fi
    if [ -S "$dir/mysql.sock" ]; then
      mariadb-admin --no-defaults -S "$dir/mysql.sock" -u root shutdown >/dev/null 2>&1 || true
    fi
    ;;
  url)
    url "$dir"
    ;;
  *)
    echo "usage: $0 start|stop|url DIR" >&2
    exit 2
    ;;
esac
