// The page shell: mobile-first, no client framework, the one stylesheet (web/styles.ts) inline.
import { brand } from '../campaign/context.ts';
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { PUBLIC_CSS, STAFF_CSS } from './styles.ts';
import { PAGE_SCRIPT_PATH } from './page-script.ts';

/** Staff pages carry both layers; the sheet is constant, so it is joined once. */
const STAFF_PAGE_CSS = PUBLIC_CSS + STAFF_CSS;

export interface LayoutProps {
  title: string;
  children?: Child;
  /** Adds the staff layer of the stylesheet (portal, hazard, ranking and office pages). */
  staff?: boolean;
  /** Wider main column for tables (office and leader pages). */
  wide?: boolean;
  /** Shown in the top bar; defaults to the app name. */
  heading?: string;
  headingHref?: string;
  /** More in <head> (the unit portal's manifest and offline script, web/offline.tsx). */
  head?: Child;
}

export function Layout(props: LayoutProps) {
  // The doctype keeps browsers out of quirks mode; CSS goes in raw because escaping its quotes breaks font-family.
  return (
    <>
    {raw('<!DOCTYPE html>')}
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="format-detection" content="telephone=no" />
        <title>{`${props.title} · ${brand()}`}</title>
        <style dangerouslySetInnerHTML={{ __html: props.staff ? STAFF_PAGE_CSS : PUBLIC_CSS }} />
        {/* Same-origin and deferred: the CSP allows no inline script. */}
        <script src={PAGE_SCRIPT_PATH} defer />
        {props.head}
      </head>
      <body>
        <header class="top">
          <div class="t">
            <a href={props.headingHref ?? '/'}>{props.heading ? `${brand()} · ${props.heading}` : brand()}</a>
          </div>
        </header>
        <main class={props.wide ? 'wide' : undefined}>{props.children}</main>
        {/* Staff pages' sign-out buttons submit this (a POST: a link could be followed by another site). */}
        {props.staff ? <form id="signout-form" method="post" action="/signout" hidden /> : null}
      </body>
    </html>
    </>
  );
}
