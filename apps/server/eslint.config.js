import { baseConfig, restrictEnvAccess } from "@rollcall/eslint-config";

export default [...baseConfig, ...restrictEnvAccess];
