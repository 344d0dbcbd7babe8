#!/usr/bin/env bash
# Check (and, as root on Debian/Ubuntu, install) the system libraries Qt 6 needs.
#
#   scripts/bootstrap-system.sh            libraries for a real window (make run)
#   scripts/bootstrap-system.sh --headless libraries for offscreen Qt (make test)
#   scripts/bootstrap-system.sh --server   the PostgreSQL server (>= 15) the sync tests
#                                          start on a loopback port (make test)
#   scripts/bootstrap-system.sh --pdf-tools qpdf and poppler-utils, with which the PDF
#                                          tests check the files written (make test)
#
# The PySide6 wheels bring Qt itself; they still load these libraries from the system.
# As root with apt-get: installs what is missing. Otherwise: prints the exact command
# and exits 1. On systems without dpkg/apt: prints what Qt needs and exits 0.
#
# SIJOINT_BOOTSTRAP_ASSUME_NONROOT=1 behaves as if not root (to see the command).
set -euo pipefail

# Needed even offscreen (QtGui loads them at import).
headless_packages=(
    libglib2.0-0 libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6
    libxkbcommon0
)
# The xcb platform plugin, for a real window on X11 (or XWayland).
window_packages=(
    libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
    libxcb-xinerama0 libxcb-render-util0 libxcb-image0 libxcb-randr0 libxcb-xfixes0
    libxcb-sync1 libxcb-shm0 libx11-xcb1
)

mode=window
case "${1:-}" in
    "" | --window) mode=window ;;
    --headless) mode=headless ;;
    --server) mode=server ;;
    --pdf-tools) mode=pdf-tools ;;
    -h | --help)
        sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "bootstrap-system: unknown option '$1' (use --headless, --window, --server or --pdf-tools)" >&2
        exit 2
        ;;
esac

# The tests of the clinic server run initdb and postgres themselves, as an
# unprivileged user on a temporary folder: only the server binaries are needed.
if [[ $mode == server ]]; then
    for initdb in /usr/lib/postgresql/*/bin/initdb; do
        version=$(basename "$(dirname "$(dirname "$initdb")")")
        if [[ -x $initdb && $version =~ ^[0-9]+$ && $version -ge 15 ]]; then
            echo "bootstrap-system: the PostgreSQL $version server is installed."
            exit 0
        fi
    done
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "bootstrap-system: no PostgreSQL >= 15 server found; the clinic-server"
        echo "  tests are skipped. Install PostgreSQL 15 or newer to run them."
        exit 0
    fi
    # Debian's "postgresql" is the distribution's supported version (15 on Debian 12).
    if [[ $(id -u) -eq 0 && ${SIJOINT_BOOTSTRAP_ASSUME_NONROOT:-0} != 1 ]]; then
        echo "bootstrap-system: installing the PostgreSQL server for the sync tests"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update
        apt-get install -y --no-install-recommends postgresql
        exit 0
    fi
    echo "bootstrap-system: no PostgreSQL >= 15 server found. Install it with:"
    echo
    echo "    sudo apt-get install --no-install-recommends postgresql"
    echo
    echo "then run make again."
    exit 1
fi

# The PDF tests read the files written with qpdf (structure) and poppler's pdffonts
# and pdftotext (fonts, text). Without them those tests are skipped, saying why:
# not installing them is no reason to stop `make test`.
if [[ $mode == pdf-tools ]]; then
    if command -v qpdf >/dev/null 2>&1 && command -v pdffonts >/dev/null 2>&1; then
        echo "bootstrap-system: qpdf and poppler-utils are installed."
        exit 0
    fi
    if command -v apt-get >/dev/null 2>&1 && [[ $(id -u) -eq 0 &&
        ${SIJOINT_BOOTSTRAP_ASSUME_NONROOT:-0} != 1 ]]; then
        echo "bootstrap-system: installing qpdf and poppler-utils for the PDF tests"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update
        apt-get install -y --no-install-recommends qpdf poppler-utils
        exit 0
    fi
    echo "bootstrap-system: qpdf or poppler-utils is missing; the PDF tests that"
    echo "  need them are skipped. To run them:"
    echo
    echo "    sudo apt-get install --no-install-recommends qpdf poppler-utils"
    echo
    exit 0
fi

required=("${headless_packages[@]}")
if [[ $mode == window ]]; then
    required+=("${window_packages[@]}")
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap-system: not a Debian/Ubuntu system; not checking system libraries."
    echo "  Qt 6 needs: GLib 2, EGL and OpenGL (libglvnd), libX11, D-Bus, fontconfig,"
    echo "  FreeType and xkbcommon; for a window on X11 also xkbcommon-x11, xcb-cursor,"
    echo "  xcb-icccm, xcb-keysyms, xcb-shape, xcb-xinerama, xcb-render-util, xcb-image,"
    echo "  xcb-randr, xcb-xfixes, xcb-sync, xcb-shm and libX11-xcb."
    echo "  Install them with your package manager if the program fails to start."
    exit 0
fi

is_installed() {
    local status
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null) || return 1
    [[ $status == ii* ]]
}

missing=()
for package in "${required[@]}"; do
    # Ubuntu 24.04 renamed some libraries for 64-bit time_t (libglib2.0-0t64).
    if ! is_installed "$package" && ! is_installed "${package}t64"; then
        missing+=("$package")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "bootstrap-system: Qt's system libraries ($mode) are installed."
    exit 0
fi

echo "bootstrap-system: missing for Qt ($mode): ${missing[*]}"

if [[ $(id -u) -eq 0 && ${SIJOINT_BOOTSTRAP_ASSUME_NONROOT:-0} != 1 ]]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
    exit 0
fi

echo "Install them with:"
echo
echo "    sudo apt-get install --no-install-recommends ${missing[*]}"
echo
echo "then run make again."
exit 1
