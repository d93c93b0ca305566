#!/bin/sh
# Builds GOV.UK Frontend into the node's embedded static files:
#
#   web/static/govuk/govuk-frontend.css     its Sass, compiled with system fonts
#   web/static/govuk/govuk-frontend.min.js  its JavaScript, as published
#   web/static/govuk/LICENCE.txt            its licence (MIT) and version
#
# The versions of govuk-frontend and sass are pinned in package.json and
# package-lock.json beside this script. To update GOV.UK Frontend:
#
#   cd web/build && npm install --save-exact govuk-frontend@VERSION && ./govuk.sh
#
# then check the pages (go test ./handlers/... with POLLEN_AXE_CORE set) and
# commit package.json, package-lock.json and web/static/govuk together.
# The node itself builds with plain `go build`: npm is needed only here.
set -eu

cd "$(dirname "$0")"
out=../static/govuk

npm ci --no-audit --no-fund --ignore-scripts
mkdir -p "$out"

version=$(node -p 'require("govuk-frontend/package.json").version')

npx --no-install sass --no-source-map --style=compressed \
	--pkg-importer=node govuk.scss "$out/govuk-frontend.css"

# The published script, less the comment naming its source map (the map
# is not shipped).
sed 's|//# sourceMappingURL=[^ ]*$||' \
	node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js >"$out/govuk-frontend.min.js"

# No font files and no GOV.UK crown: fail if the CSS would load a font.
if grep -q '@font-face' "$out/govuk-frontend.css"; then
	echo "govuk.sh: the CSS declares a font face; set \$govuk-font-family to system fonts" >&2
	exit 1
fi

cat >"$out/LICENCE.txt" <<LICENCE
GOV.UK Frontend $version (https://github.com/alphagov/govuk-frontend),
its compiled CSS and its JavaScript in this folder, built by
web/build/govuk.sh from the npm package govuk-frontend@$version.

The MIT License (MIT)

Copyright (c) 2018 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
LICENCE

echo "govuk.sh: GOV.UK Frontend $version built into web/static/govuk"
