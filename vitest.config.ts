import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';

/**
 * The workerd pool loads CommonJS dependencies through a module fallback that resolves with the root
 * Vite server. Inside @googleapis/sheets' google-auth-library, require('gaxios') (and gtoken,
 * bignumber.js) follows the package's exports map to its ESM build, and require('node:process')
 * finds no module. Wrangler's bundle resolves all of them correctly; only the test pool needs these.
 */
const REQUIRE_REDIRECTS: Record<string, string> = {
  gaxios: fileURLToPath(new URL('./node_modules/googleapis-common/node_modules/gaxios/build/cjs/src/index.js', import.meta.url)),
  gtoken: fileURLToPath(new URL('./node_modules/gtoken/build/cjs/src/index.cjs', import.meta.url)),
  'bignumber.js': fileURLToPath(new URL('./node_modules/bignumber.js/bignumber.js', import.meta.url)),
  'node:process': fileURLToPath(new URL('./test/workers/node-process.cjs', import.meta.url)),
};
const googleapisInWorkerd: Plugin = {
  name: 'googleapis-commonjs-in-workerd',
  enforce: 'pre',
  resolveId(id, _importer, options) {
    const custom = (options as { custom?: Record<string, { isRequire?: boolean } | undefined> }).custom;
    return custom?.['node-resolve']?.isRequire ? (REQUIRE_REDIRECTS[id] ?? null) : null;
  },
};

export default defineConfig({
  plugins: [googleapisInWorkerd],
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/node/**/*.test.{ts,tsx}'],
          environment: 'node',
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            main: './src/runtime/workers/entry.ts',
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                LIBSQL_URL: inject('libsqlUrl'),
                PUBLIC_BASE_URL: 'https://pingan.example.org',
                SESSION_SECRET: 'workers-test-secret-0123456789',
                GOOGLE_API_ROOT: inject('googleApiRoot'),
                GOOGLE_TOKEN_URL: inject('googleTokenUrl'),
                GOOGLE_SERVICE_ACCOUNT: inject('googleServiceAccount'),
                SHEET_ID: inject('sheetId'),
                WECOM_API_ROOT: inject('notifyRoot'),
                DINGTALK_API_ROOT: inject('notifyRoot'),
                SMS_API_ROOT: inject('notifyRoot'),
              },
            },
          })),
        ],
        test: {
          name: 'workers',
          include: ['test/workers/**/*.test.{ts,tsx}'],
          globalSetup: ['./test/workers/global-setup.ts'],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
