// Jest transform: TypeScript (and modern JS) to CommonJS with esbuild, with
// inline source maps so stack traces point at the sources.
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const loader = filename.endsWith('.ts') ? 'ts' : filename.endsWith('.mjs') ? 'js' : 'js';
    const { code, map } = transformSync(source, {
      loader,
      format: 'cjs',
      target: 'node20',
      sourcemap: true,
      sourcefile: filename,
      supported: { 'using': false },
      // ES modules (every .ts file here) are strict code.
      banner: '"use strict";',
    });
    return { code, map };
  },
  getCacheKey(source, filename) {
    return require('node:crypto').createHash('sha1')
      .update(source).update('\0').update(filename).update('\0').update(require('esbuild').version).update('v2')
      .digest('hex');
  },
};
