// A table of API objects with its loading, error and empty states. On a narrow screen each row
// becomes a card, every cell labelled by its column (the data-label attribute, see styles.css).
import { Empty, ErrorNotice, Loading } from './notice.jsx';

// `columns`: [{ label, render(row) }]; `rowKey(row, index)` names a row.
export function DataTable({ caption, columns, rows, rowKey, loading, error, empty }) {
  if (error) return <ErrorNotice error={error} />;
  if (loading && !rows) return <Loading />;
  if (!rows?.length) return <Empty>{empty}</Empty>;
  return (
    <div class="table-wrap">
      <table class="data-table">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col" key={column.label}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={rowKey(row, index)}>
              {columns.map((column) => (
                <td key={column.label} data-label={column.label}>
                  {column.render(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// Previous / next for a usePagedList result; nothing when everything fits on one page.
export function Pager({ list }) {
  if (list.pageCount <= 1) return null;
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" disabled={list.page <= 1} onClick={() => list.setPage(list.page - 1)}>
        Previous
      </button>
      <span>
        Page {list.page} of {list.pageCount}
      </span>
      <button type="button" disabled={list.page >= list.pageCount} onClick={() => list.setPage(list.page + 1)}>
        Next
      </button>
    </nav>
  );
}
