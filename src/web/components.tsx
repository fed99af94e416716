// Page parts every staff page repeats: the submit button, the data table that turns into cards on a phone, the progress bar.
import type { Child } from 'hono/jsx';

/** A form's submit button; `secondary` for the lesser of two actions; name and value when the button is the answer. */
export function SubmitButton(props: { children?: Child; secondary?: boolean; name?: string; value?: string }) {
  return (
    <button class={props.secondary ? 'btn secondary' : 'btn'} type="submit" name={props.name} value={props.value}>
      {props.children}
    </button>
  );
}

/** A column heading: its label, or with a class (`num` right-aligns); null or false leaves the column out. */
export type Column = string | { label: string; class: string } | null | false;

const labelOf = (c: Exclude<Column, null | false>) => (typeof c === 'string' ? c : c.label);

/** A short stable name for a set of headings, so tables with the same columns share their card rules. */
function headKey(labels: readonly string[]): string {
  let h = 5381;
  for (const ch of labels.join('\u0001')) h = ((h * 33) ^ ch.codePointAt(0)!) >>> 0;
  return `dt-${h.toString(36)}`;
}

/** A CSS string literal: the label in quotes with quotes, backslashes and line ends escaped. */
const cssString = (s: string) => `"${s.replace(/[\\"]/g, '\\$&').replace(/[\n\r<>]/g, ' ')}"`;

/**
 * Below 600 px each row becomes a card of label–value lines: the labels are the column headings, written once per
 * table shape as `td:nth-child(n)::before` rules (no JavaScript, no data-label on every cell of every caller).
 * A column without a heading (actions) takes the full width.
 */
export function cardRules(key: string, labels: readonly string[]): string {
  return labels
    .map((l, i) =>
      l
        ? `.${key} td:nth-child(${i + 1})::before{content:${cssString(l)}}`
        : `.${key} td:nth-child(${i + 1}){padding-left:0}`,
    )
    .join('');
}

/**
 * A table that scrolls inside its box on a wide screen and becomes cards below 600 px; rows are the children.
 * `label` names the scrolling region for screen readers (it can take keyboard focus to scroll).
 */
export function DataTable(props: { head?: readonly Column[]; children?: Child; label?: string; id?: string }) {
  const head = (props.head ?? []).filter((c): c is Exclude<Column, null | false> => !!c);
  const labels = head.map(labelOf);
  const key = head.length ? headKey(labels) : undefined;
  return (
    <div class={key ? `table-wrap cards ${key}` : 'table-wrap'} tabindex={0} role="region" aria-label={props.label ?? (labels.filter(Boolean).slice(0, 3).join('、') || '表格')}>
      {key ? <style dangerouslySetInnerHTML={{ __html: `@media (max-width:600px){${cardRules(key, labels)}}` }} /> : null}
      <table id={props.id}>
        {head.length ? (
          <thead>
            <tr>
              {head.map((c) => (typeof c === 'string' ? <th>{c}</th> : <th class={c.class}>{c.label}</th>))}
            </tr>
          </thead>
        ) : null}
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

/** A progress bar with its name (what it measures) and its value in words. */
export function ProgressBar(props: { percent: number; label: string }) {
  const percent = Math.max(0, Math.min(100, Math.round(props.percent)));
  return (
    <div class="bar" role="progressbar" aria-label={props.label} aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100} aria-valuetext={`${percent}%`}>
      <span style={`width:${percent}%`} />
    </div>
  );
}
