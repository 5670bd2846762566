import { FetchError } from "./fetch-json";
import { messageOf } from "@/lib/errors";

/** Shows what failed and the server's own message (SQLite's, the parser's) verbatim. */
export function ErrorBox({ title, error }: { title: string; error: unknown }) {
  const message = messageOf(error);
  const status = error instanceof FetchError ? ` (HTTP ${error.status})` : "";
  return (
    <div className="error-box" role="alert" data-testid="error-box">
      <div className="error-box__title">
        {title}
        {status}
      </div>
      <pre className="error-box__message mono">{message}</pre>
    </div>
  );
}
