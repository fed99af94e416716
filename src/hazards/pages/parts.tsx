// The co-units' parts of a hazard on the lead unit's, the co-units' and the office's pages (R12).
import { DataTable } from '../../web/components.tsx';
import { formatShanghai } from '../../lib/time.ts';
import type { PartView } from '../parts.ts';

export function PartsTable(props: { parts: PartView[]; names: Map<string, string> }) {
  if (!props.parts.length) return null;
  return (
    <div class="card">
      <h2>配合单位办理情况</h2>
      <DataTable head={['配合单位', '状态', '最新进展', '时间']}>
        {props.parts.map((p) => (
          <tr>
            <td>{props.names.get(p.unit) ?? p.unit}</td>
            <td>{p.statusLabel}</td>
            <td class="text">{p.note ?? ''}</td>
            <td>{p.lastAt ? formatShanghai(Date.parse(p.lastAt)) : ''}</td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
