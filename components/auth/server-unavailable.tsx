export function ServerUnavailable({ message }: { message: string }) {
  return (
    <main className="mx-auto mt-24 max-w-lg rounded-lg border border-danger/50 bg-panel p-6">
      <h1 className="mb-2 text-lg font-semibold text-danger">Wharf is not answering</h1>
      <p className="text-sm" role="alert">{message}</p>
      <p className="mt-3 text-sm text-muted">Reload the page once the server is back.</p>
    </main>
  );
}
