# Sourced by scripts/test.sh: the Debian programs the tests drive — Chromium (dashboard and PDF
# reports, through playwright-core), dnstwist (the peer the lookalike generator is compared with)
# and poppler-utils (pdftoppm turns report PDFs into page images). Installed when missing.

ensure_system_deps() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v dnstwist >/dev/null || missing+=(dnstwist)
  command -v pdftoppm >/dev/null || missing+=(poppler-utils)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing ${missing[*]} and this is not root: apt-get install -y --no-install-recommends ${missing[*]}" >&2
    return 1
  fi
  echo "installing ${missing[*]} from Debian…" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
