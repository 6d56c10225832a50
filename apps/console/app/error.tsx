"use client";

import Link from "next/link";

/** Shown when a page fails to load, most often because the registry database cannot be reached. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main id="main" tabIndex={-1}>
      <section className="empty-state error-state" role="alert">
        <h1>The console could not load this page</h1>
        <p>
          It reads the registry&apos;s database directly. Check that the registry server has started (it creates and migrates the database) and that the
          console&apos;s <code>DATABASE_URL</code> names the same database.
        </p>
        {/* In production Next.js replaces server error messages with a digest to look up in the console's log. */}
        {error.digest ? (
          <p className="muted">
            Error reference: <code>{error.digest}</code> (search the console&apos;s log for it).
          </p>
        ) : (
          <pre className="error-text">{error.message}</pre>
        )}
        <p className="actions">
          <button type="button" onClick={() => reset()}>
            Try again
          </button>
          <Link href="/">Back to the fleet</Link>
        </p>
      </section>
    </main>
  );
}
