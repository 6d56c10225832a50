/** The fleet page's URL for a filter; empty parts are left out so links stay short and shareable. */
export function fleetHref(filter) {
    const params = new URLSearchParams();
    if (filter.status)
        params.set("status", filter.status);
    if (filter.q)
        params.set("q", filter.q);
    if (filter.after)
        params.set("after", filter.after);
    const query = params.toString();
    return query ? `/?${query}` : "/";
}
/** The first value of a search parameter that may arrive repeated (`?q=a&q=b`). */
export function firstParam(value) {
    return Array.isArray(value) ? value[0] : value;
}
