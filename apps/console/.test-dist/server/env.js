export function readEnv(source = process.env) {
    const problems = [];
    const url = source.DATABASE_URL?.trim() || undefined;
    if (url !== undefined && !/^(file:|postgres(ql)?:\/\/)/.test(url)) {
        problems.push(`DATABASE_URL: must start with file: or postgres:// (got ${url.split(":")[0]}:…)`);
    }
    if (problems.length > 0)
        throw new Error(`invalid configuration: ${problems.join("; ")}`);
    return { DATABASE_URL: url };
}
