/** What an operator can do about the refusals of the notification procedures (ActionError's `nextSteps`). */
export const NOTIFICATION_NEXT_STEPS: Record<string, string> = {
  url_validate_failed:
    "Use an http:// or https:// URL whose host is public: the registry judges it as it judges a runtime's URL, and refuses private and loopback addresses so a notification cannot reach into its own network.",
  invalid_secret: "Leave the secret empty to have one generated, or give whsec_ followed by the base64 of 24 to 64 bytes.",
  unknown_endpoint: "The endpoint was deleted meanwhile.",
  unknown_delivery: "The delivery is gone: its endpoint was deleted meanwhile.",
  conflict: "A newer copy of this delivery is still queued; it is retried on its own.",
};
