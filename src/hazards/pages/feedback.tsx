// The tipster's "is it really fixed?" form, for the receipt page to include once a hazard is closed out.
// It posts to POST /api/v1/receipts/:receipt/feedback, which answers a browser with 303 back here.
import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps.ts';
import { submissions } from '../../db/schema.ts';
import { publicHazardStatus } from '../receipt.ts';
import { SubmitButton } from '../../web/components.tsx';

/** Where the receipt page lives, used when the form does not say where to come back to. */
export const RECEIPT_PAGE_PATH = (receipt: string) => `/r/${encodeURIComponent(receipt)}`;

/** Only a path on this site: no scheme, no host, no protocol-relative `//evil`. */
export function safeBack(back: string, receipt: string): string {
  return /^\/(?![/\\])[A-Za-z0-9/_\-.?=&%]*$/.test(back) ? back : RECEIPT_PAGE_PATH(receipt);
}

/** The message the receipt page shows after `?feedback=…`. */
export const FEEDBACK_MESSAGES: Record<string, string> = {
  fixed: '感谢您确认整改到位！',
  'not-fixed': '已收到您的反馈，区综治办将重新督办该隐患。',
  closed: '该隐患当前不能评价（可能尚未销号，或您已评价过）。',
  missing: '请选择“已整改”或“未整改”。',
};

export interface HazardFeedbackFormProps {
  receipt: string;
  /** The page to come back to (defaults to the receipt page). */
  back?: string;
}

/** Two big buttons; works without JavaScript. Show it when the receipt status says feedback is open. */
export function HazardFeedbackForm(props: HazardFeedbackFormProps) {
  return (
    <form method="post" action={`/api/v1/receipts/${encodeURIComponent(props.receipt)}/feedback`} class="card">
      <h2>隐患已整改销号，请您确认</h2>
      <p class="help">您反映的问题现场是否真的整改好了？如果没有，区综治办会重新督办。</p>
      <input type="hidden" name="back" value={props.back ?? RECEIPT_PAGE_PATH(props.receipt)} />
      <p class="row" style="display:flex;gap:12px;flex-wrap:wrap">
        <SubmitButton name="fixed" value="yes">已整改</SubmitButton>
        <SubmitButton secondary name="fixed" value="no">未整改</SubmitButton>
      </p>
    </form>
  );
}

/**
 * What the receipt page adds for a hazard tip: `notice`, the message after `?feedback=…` (shown at the top, where the
 * person who just tapped sees it), and `extra`, the hazard's number and the feedback form while it is open.
 * Null for other forms. Usage in the /r/:receipt handler: `await hazardReceiptExtra(deps, r.receipt, c.req.query('feedback'))`.
 */
export async function hazardReceiptExtra(deps: Pick<Deps, 'db'>, receipt: string, feedback?: string) {
  const [sub] = await deps.db.select({ id: submissions.id }).from(submissions).where(eq(submissions.receipt, receipt));
  if (!sub) return null;
  const status = await publicHazardStatus(deps.db, sub.id);
  if (!status) return null;
  const message = feedback && Object.hasOwn(FEEDBACK_MESSAGES, feedback) ? FEEDBACK_MESSAGES[feedback] : undefined;
  return {
    notice: message ? (
      <div class={feedback === 'closed' || feedback === 'missing' ? 'alert' : 'ok'} role="status">
        {message}
      </div>
    ) : null,
    extra: (
      <>
        <p class="muted">隐患编号：{status.number}</p>
        {status.feedbackOpen ? <HazardFeedbackForm receipt={receipt} /> : null}
      </>
    ),
  };
}
