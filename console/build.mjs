// Bundles the console into OUTDIR (argument): one hashed script, one hashed stylesheet, a
// hashed icon, a hashed page of the bundled libraries' licence texts and an index.html that
// names them. Hashed names let tollgate serve the assets as immutable;
// index.html is the only file a browser must revalidate.
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(process.argv[2] ?? path.join(here, 'dist'));

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

const hashed = (stem, extension, bytes) =>
  `${stem}-${createHash('sha256').update(bytes).digest('hex').slice(0, 8)}.${extension}`;

// The licence texts of what the bundle contains: Preact and uPlot, and esbuild's own, for the
// runtime helpers it may insert. Served as an HTML page since the embedded table serves only
// the content types it names (cmake/EmbedConsoleAssets.cmake); the text itself is plain.
async function licenceText(module) {
  const dir = path.join(here, 'node_modules', module);
  const names = (await readdir(dir)).filter((name) => /^licen[cs]e/i.test(name));
  if (!names.length) throw new Error(`console build: node_modules/${module} has no LICENSE file`);
  const { version } = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
  const texts = await Promise.all(names.map((name) => readFile(path.join(dir, name), 'utf8')));
  return `${module} ${version}\n${'='.repeat(module.length + version.length + 1)}\n\n${texts.join('\n').trim()}\n`;
}
const bundled = [
  ['preact', 'the user interface library'],
  ['uplot', 'the usage chart'],
  ['esbuild', 'the bundler; its runtime helpers may be part of the script'],
];
const licences = [
  'Third-party software in the tollgate web console',
  '',
  ...bundled.map(([module, what]) => `- ${module}: ${what}`),
  '',
  ...(await Promise.all(bundled.map(([module]) => licenceText(module)))),
].join('\n');
const escapeHtml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const licencesPage = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Third-party licences · tollgate console</title>
<pre>${escapeHtml(licences)}</pre>
</html>
`;
const licencesName = hashed('third-party-licenses', 'html', licencesPage);
await writeFile(path.join(outdir, licencesName), licencesPage);

const result = await esbuild.build({
  entryPoints: [path.join(here, 'src/main.jsx')],
  outdir,
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome109', 'firefox115', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  metafile: true,
  legalComments: 'eof',
  define: { TOLLGATE_LICENSES_URL: JSON.stringify(`/ui/${licencesName}`) },
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((file) => path.basename(file));
const script = outputs.find((name) => name.endsWith('.js'));
const stylesheet = outputs.find((name) => name.endsWith('.css'));
if (!script || !stylesheet) throw new Error(`console build: missing script or stylesheet in ${outputs}`);

// The icon is not imported by any module, so it is named by its digest here.
const icon = await readFile(path.join(here, 'src/favicon.svg'));
const iconName = hashed('favicon', 'svg', icon);
await writeFile(path.join(outdir, iconName), icon);

const template = await readFile(path.join(here, 'index.html'), 'utf8');
await writeFile(
  path.join(outdir, 'index.html'),
  template
    .replace('%SCRIPT%', `/ui/${script}`)
    .replace('%STYLESHEET%', `/ui/${stylesheet}`)
    .replace('%ICON%', `/ui/${iconName}`),
);
