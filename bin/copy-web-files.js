// `npm run build`: tsc compiles only .ts; the web server's views (.hbs) and
// stylesheets (.css) live beside their modules under src/web/ and are read
// at run time from beside the compiled modules, so they are copied to dist/web/.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
function copy(dir) {
  for (const item of fs.readdirSync(dir, { withFileTypes: true })) {
    const from = path.join(dir, item.name);
    if (item.isDirectory()) copy(from);
    else if (/\.(hbs|css)$/.test(item.name)) {
      const to = path.join(root, 'dist', path.relative(path.join(root, 'src'), from));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(from, to);
    }
  }
}
copy(path.join(root, 'src', 'web'));
