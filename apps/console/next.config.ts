import type { NextConfig } from "next";

const config: NextConfig = {
  // Workspace packages are shipped as TypeScript source (their exports point at src/*.ts).
  transpilePackages: ["@rollcall/db", "@rollcall/registry-core"],
  // Native and driver modules stay out of the bundle and are loaded by Node at run time: better-sqlite3 is a
  // compiled addon, and the adapters must share the one copy of their driver (TOOLCHAIN.md, "Next.js").
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "pg", "@prisma/adapter-pg"],
  // `output` is left at the standard `next build` output, served by `next start`.
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
