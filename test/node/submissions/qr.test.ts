// QR codes decode to the attributed form link; posters carry a slogan and the three forms' codes.
import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { makeTestApp, TEST_BASE_URL } from '../../helpers/app.ts';
import campaign from '../../../forms/campaign.ts';

/** Rasterises uqr's SVG (a white rect and a path of square cells "Mx,yh10v10h-10z") into RGBA pixels. */
function rasterise(svg: string): { data: Uint8ClampedArray; width: number; height: number } {
  const [, , w, h] = /viewBox="([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)"/.exec(svg)!.slice(1).map(Number) as [number, number, number, number];
  const data = new Uint8ClampedArray(w * h * 4).fill(255);
  const d = /<path[^>]*\bd="([^"]+)"/.exec(svg)![1]!;
  let cells = 0;
  for (const m of d.matchAll(/M(\d+),(\d+)h(\d+)v(\d+)/g)) {
    const [x, y, cw, ch] = m.slice(1).map(Number) as [number, number, number, number];
    for (let yy = y; yy < y + ch; yy++) {
      for (let xx = x; xx < x + cw; xx++) {
        const i = (yy * w + xx) * 4;
        data[i] = data[i + 1] = data[i + 2] = 0;
      }
    }
    cells++;
  }
  expect(cells).toBeGreaterThan(100);
  return { data, width: w, height: h };
}

describe('GET /qr/:formId.svg', () => {
  it.each([
    { path: '/qr/hazard-tip.svg?u=chencang-v1', url: `${TEST_BASE_URL}/f/hazard-tip?u=chencang-v1` },
    { path: '/qr/mass-feedback.svg?u=zhongshan-east-c3', url: `${TEST_BASE_URL}/f/mass-feedback?u=zhongshan-east-c3` },
    { path: '/qr/deputy-suggestion.svg', url: `${TEST_BASE_URL}/f/deputy-suggestion` },
  ])('$path decodes to $url', async ({ path, url }) => {
    const t = await makeTestApp();
    const res = await t.app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('image/svg+xml');
    const { data, width, height } = rasterise(await res.text());
    expect(jsQR(data, width, height)?.data).toBe(url);
  });

  it('404s for an unknown or unit form and 400s for a malformed unit code', async () => {
    const t = await makeTestApp();
    expect((await t.app.request('/qr/nope.svg')).status).toBe(404);
    expect((await t.app.request('/qr/household-visit.svg')).status).toBe(404);
    expect((await t.app.request('/qr/hazard-tip.png')).status).toBe(404);
    expect((await t.app.request('/qr/hazard-tip.svg?u=%22%3E%3Cscript%3E')).status).toBe(400);
  });
});

describe('GET /posters/:unitCode', () => {
  it('is a printable A4 page with the unit, a campaign slogan and the three QR codes', async () => {
    const t = await makeTestApp();
    const res = await t.app.request('/posters/chencang-v2');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('陈仓示范村二（演示）');
    expect(html).toContain('@page{size:A4');
    expect(campaign.slogans.some((s) => html.includes(`<p class="slogan">${s}</p>`))).toBe(true);
    for (const id of ['mass-feedback', 'hazard-tip', 'deputy-suggestion']) {
      expect(html).toContain(`src="/qr/${id}.svg?u=chencang-v2"`);
      expect(html).toContain(`${TEST_BASE_URL}/f/${id}?u=chencang-v2`);
    }
    expect(new TextEncoder().encode(html).length).toBeLessThan(30 * 1024);
    // The same unit gets the same slogan every time; ?slogan= picks one.
    expect(await (await t.app.request('/posters/chencang-v2')).text()).toBe(html);
    expect(await (await t.app.request('/posters/chencang-v2?slogan=0')).text()).toContain(`<p class="slogan">${campaign.slogans[0]}</p>`);
  });

  it('404s for an unknown unit', async () => {
    const t = await makeTestApp();
    expect((await t.app.request('/posters/atlantis')).status).toBe(404);
  });
});
