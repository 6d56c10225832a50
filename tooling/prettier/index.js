/**
 * The one formatting every package follows; `pnpm lint` checks it (prettier --check) and `pnpm format` applies it.
 * 160 columns: the width the code was written to, so formatting it changed little beyond the drift it fixed.
 *
 * @type {import("prettier").Config}
 */
const config = {
  printWidth: 160,
  trailingComma: "all",
};

export default config;
