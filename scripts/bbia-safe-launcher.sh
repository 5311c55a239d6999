#!/bin/sh
# bbia-safe: the command line packed in bbia-safe.app, run with the user's Node.js 22 or later.
# Packed as Contents/Resources/cli/bin/bbia-safe (electron-builder.yml extraResources); the app's
# "Install Command Line Tool…" links it into a folder on the PATH. The app's own binary cannot run
# the command line (its run-as-node fuse is off), so a Node.js of the user's runs it.
# Looks for Node in: $BBIA_SAFE_NODE, the PATH, nvm, Volta, fnm, asdf, Homebrew, /usr/local/bin.

# Where this script really is: follow the link(s) from the PATH
self=$0
while [ -L "$self" ]; do
  target=$(readlink "$self") || break
  case $target in
    /*) self=$target ;;
    *) self=${self%/*}/$target ;;
  esac
done
entry="${self%/*}/bbia-safe.js"

case "${LC_ALL:-${LC_MESSAGES:-${LANG:-}}}" in
  fr*) french=1 ;;
  *) french= ;;
esac

if [ ! -f "$entry" ]; then
  if [ -n "$french" ]; then
    echo "Erreur : le paquet de bbia-safe est incomplet ($entry manque)." >&2
    echo "  -> réinstallez bbia-safe.app, puis relancez « Installer l’outil en ligne de commande… »" >&2
  else
    echo "Error: the bbia-safe app bundle is incomplete ($entry is missing)." >&2
    echo "  -> reinstall bbia-safe.app, then run \"Install Command Line Tool…\" again" >&2
  fi
  exit 1
fi

# The major version of a Node.js, or nothing when it does not run
major() {
  v=$("$1" -p 'process.versions.node' 2>/dev/null) || return 1
  [ -n "$v" ] || return 1
  echo "${v%%.*}"
}

too_old=
try() {
  [ -n "$1" ] && [ -x "$1" ] || return 1
  m=$(major "$1") || return 1
  case $m in *[!0-9]*|'') return 1 ;; esac
  if [ "$m" -ge 22 ]; then
    node=$1
    return 0
  fi
  [ -n "$too_old" ] || too_old="$1 (v$m)"
  return 1
}

node=
try "${BBIA_SAFE_NODE:-}" || try "$(command -v node 2>/dev/null)" || {
  # nvm: every version in the glob's order (v18 < v20 < v22 < v24), so the newest that runs is kept
  for candidate in "$HOME"/.nvm/versions/node/v*/bin/node; do
    try "$candidate"
  done
  [ -n "$node" ] ||
    try "$HOME/.volta/bin/node" ||
    try "$HOME/.local/share/fnm/aliases/default/bin/node" ||
    try "$HOME/.asdf/shims/node" ||
    try /opt/homebrew/bin/node ||
    try /usr/local/bin/node
}

if [ -z "$node" ]; then
  if [ -n "$french" ]; then
    echo "Erreur : bbia-safe a besoin de Node.js 22 ou plus récent, et n’en a trouvé aucun." >&2
    [ -n "$too_old" ] && echo "  trouvé seulement : $too_old, trop ancien" >&2
    echo "  -> installez Node.js 24 (https://nodejs.org, ou : brew install node)," >&2
    echo "     ou indiquez son chemin dans BBIA_SAFE_NODE (export BBIA_SAFE_NODE=/chemin/vers/node)" >&2
  else
    echo "Error: bbia-safe needs Node.js 22 or later, and found none." >&2
    [ -n "$too_old" ] && echo "  found only: $too_old, too old" >&2
    echo "  -> install Node.js 24 (https://nodejs.org, or: brew install node)," >&2
    echo "     or give its path in BBIA_SAFE_NODE (export BBIA_SAFE_NODE=/path/to/node)" >&2
  fi
  exit 1
fi
exec "$node" "$entry" "$@"
