import Link from "next/link";

/** What an unknown or malformed endpoint id shows, inside the console's header, with HTTP status 404. */
export default function EndpointNotFound() {
  return (
    <section className="empty-state" aria-labelledby="not-found-heading">
      <h1 id="not-found-heading">No such endpoint</h1>
      <p>No notification endpoint has the id in this address. It may have been deleted, or mistyped.</p>
      <p>
        <Link href="/notifications">Back to the notifications</Link>
      </p>
    </section>
  );
}
