// The installable unit portal: its web app manifest, icon, service worker and queue script, and the 没有网络 page the
// worker shows when a page cannot load. The scripts themselves are in offline-scripts.ts.
import { Hono, type Context } from 'hono';
import { brand } from '../campaign/context.ts';
import { Layout } from './layout.tsx';
import { ICON_PATH, MANIFEST_PATH, OFFLINE_PAGE_PATH, OFFLINE_SCRIPT, OFFLINE_SCRIPT_PATH, SERVICE_WORKER, SW_PATH } from './offline-scripts.ts';

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" rx="96" fill="#b3261e"/><text x="256" y="330" font-size="240" text-anchor="middle" fill="#fff" font-family="sans-serif">安</text></svg>`;

/** What a unit page adds to its head: the manifest and the queue script (which registers the worker). */
export function OfflineHead() {
  return (
    <>
      <link rel="manifest" href={MANIFEST_PATH} />
      <meta name="theme-color" content="#b3261e" />
      <script src={OFFLINE_SCRIPT_PATH} defer />
    </>
  );
}

function OfflinePage() {
  return (
    <Layout title="没有网络">
      <h1>没有网络</h1>
      <div class="alert" role="alert">
        <p>现在没有网络，这个页面没能打开。请到有信号的地方，或打开手机的移动数据后再试。</p>
      </div>
      <p>单位填报：在有网络时打开过的填报页面，没有网络时也能打开和填写；记录先存在本机，有网络时自动上传。</p>
      <p>
        <a href="/">重新打开首页</a>
      </p>
    </Layout>
  );
}

export function offlineRoutes() {
  const app = new Hono();
  const script = (body: string, cache: string) => (c: Context) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', cache);
    return c.body(body);
  };
  // The worker is checked for updates on every visit: never cached by HTTP.
  app.get(SW_PATH, script(SERVICE_WORKER, 'no-cache'));
  app.get(OFFLINE_SCRIPT_PATH, script(OFFLINE_SCRIPT, 'no-cache'));
  app.get(MANIFEST_PATH, (c) => {
    c.header('Content-Type', 'application/manifest+json; charset=utf-8');
    c.header('Cache-Control', 'no-cache');
    return c.body(
      JSON.stringify({
        name: `${brand()} · 单位工作台`,
        short_name: brand(),
        description: '镇（街道）和部门的填报：没有网络时也能填写，有网络时自动上传',
        lang: 'zh-CN',
        start_url: '/unit',
        scope: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#b3261e',
        icons: [{ src: ICON_PATH, sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      }),
    );
  });
  app.get(ICON_PATH, (c) => {
    c.header('Content-Type', 'image/svg+xml');
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(ICON);
  });
  app.get(OFFLINE_PAGE_PATH, (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.html(<OfflinePage />);
  });
  return app;
}
