// The frame of the office's list pages: the staff layout, a way back to the office home, sign-out, the title.
import type { Child } from 'hono/jsx';
import { Layout } from '../web/layout.tsx';
import { SignOutButton } from '../auth/routes.tsx';

export function OfficePage(props: { title: string; children?: Child }) {
  return (
    <Layout title={props.title} heading="区综治办" wide staff>
      <p class="muted">
        <a href="/admin">返回首页</a> · <SignOutButton />
      </p>
      <h1>{props.title}</h1>
      {props.children}
    </Layout>
  );
}
