#!/usr/bin/env bash
# Install the system packages cvgen needs on Debian (run as root, or with sudo available).
# Used by the README's set-up commands and by .ci/run, so both see the same machine.
set -euo pipefail

packages=(
  # LaTeX: latexmk drives the engines; pdflatex for Latin CVs, xelatex + kotex/xeCJK for Korean; the hyphenation
  # patterns of the European languages cvgen writes (German, French, Spanish).
  latexmk texlive-latex-base texlive-latex-recommended texlive-latex-extra
  texlive-fonts-recommended texlive-xetex texlive-lang-korean texlive-lang-cjk texlive-lang-chinese
  texlive-lang-german texlive-lang-french texlive-lang-spanish
  lmodern fonts-lmodern
  # Fonts: Noto CJK for Korean, Chinese and Japanese (both PDFs); Noto's core fonts for the other scripts (Arabic,
  # Hebrew, Devanagari, Thai…) and symbols; Symbola for emoji in outlines and Noto Color Emoji for newer emoji;
  # DejaVu as a Latin fallback; Lato for the modern HTML theme.
  fonts-noto-cjk fonts-noto-core fonts-noto-color-emoji fonts-symbola fonts-dejavu-core fonts-lato
  # WeasyPrint's system libraries; harfbuzz-subset makes CJK font subsetting ~60x faster.
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  # Reading PDFs back in tests; headless Chromium loads the standalone web CV in tests.
  poppler-utils chromium
  # The Markdown engine and template language of Jekyll / GitHub Pages, and Jekyll itself (4.3) with the plugins
  # academicpages sites use that Debian has (jemoji it lacks): tests build whole sites before and after a round trip.
  ruby ruby-kramdown ruby-kramdown-parser-gfm ruby-liquid
  jekyll ruby-jekyll-feed ruby-jekyll-sitemap ruby-jekyll-redirect-from ruby-jekyll-paginate ruby-jekyll-gist
)

# A fresh Debian's python3 needs python3-venv for the README's `python3 -m venv`.
if command -v python3 >/dev/null && ! python3 -c "import ensurepip, venv" 2>/dev/null; then
  packages+=(python3-venv python3-pip)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-system-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-system-deps: installed ${#missing[@]} packages: ${missing[*]}"
