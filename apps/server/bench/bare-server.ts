/** The ceiling for any Node HTTP handler here: read the body, JSON.parse it, answer a small JSON object. */
import { createServer } from "node:http";

const ANSWER = JSON.stringify({ status: "ok" });
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    JSON.parse(Buffer.concat(chunks).toString("utf8"));
    res.writeHead(200, { "content-type": "application/json", "content-length": ANSWER.length });
    res.end(ANSWER);
  });
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address && typeof address === "object") console.log(JSON.stringify({ msg: "listening", port: address.port }));
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
