# Sourced by the other scripts: the project's own tool directory comes first on PATH.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/scripts/node_modules/.bin:$HOME/.cargo/bin:$PATH"
