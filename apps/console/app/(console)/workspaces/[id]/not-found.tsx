import Link from "next/link";

/** What an unknown or malformed workspace id shows, inside the console's header, with HTTP status 404. */
export default function WorkspaceNotFound() {
  return (
    <section className="empty-state" aria-labelledby="not-found-heading">
      <h1 id="not-found-heading">No such workspace</h1>
      <p>Nothing in this registry has the id in this address. It may have been mistyped, or it belongs to another registry.</p>
      <p>
        <Link href="/">Back to the fleet</Link>
      </p>
    </section>
  );
}
