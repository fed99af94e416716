// Page parts every staff page repeats: the submit button and the scrolling data table.
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

/** A table that scrolls inside its box on a phone instead of widening the page; rows are the children. */
export function DataTable(props: { head?: readonly Column[]; children?: Child }) {
  const head = (props.head ?? []).filter((c): c is Exclude<Column, null | false> => !!c);
  return (
    <div class="table-wrap">
      <table>
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
