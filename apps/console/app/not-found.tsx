import Link from "next/link";

export default function NotFound() {
  return (
    <main id="main" tabIndex={-1}>
      <section className="empty-state">
        <h1>Not found</h1>
        <p>There is no workspace (or page) at this address. It may have been mistyped, or never existed here.</p>
        <p>
          <Link href="/">Back to the fleet</Link>
        </p>
      </section>
    </main>
  );
}
