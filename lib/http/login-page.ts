/** The small page an unauthenticated browser gets instead of the studio: how to get in. */
export function loginPage(status: number, message: string): Response {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>AWM Studio: token needed</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1 style="font-size: 1.3rem">AWM Studio needs its access token</h1>
<p>${escapeHtml(message)}</p>
<p>Open the address the studio printed when it started (it ends in <code>/?token=…</code>), or run
<code>npx awm-studio token</code> on the machine the studio runs on to print it again.</p>
<p>Signed in already on this browser? <a href="">Reload this page</a>.</p>
</body></html>
`;
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
