// `npx pingan notify`: deliver what is pending now, as the every-minute job would.
import type { Deps } from '../deps.ts';
import { runNotifications } from './deliver.ts';

export const notifyCommand = {
  summary: 'deliver pending notifications (robots, webhooks, SMS) now',
  usage: 'pingan notify',
  async run(deps: Deps): Promise<number> {
    const r = await runNotifications(deps, deps.now());
    console.log(`Notifications: ${r.sent} sent, ${r.retrying} to retry, ${r.failed} failed, ${r.held} held for the morning (${r.queued} scheduled event(s) queued).`);
    return r.retrying || r.failed ? 1 : 0;
  },
};
