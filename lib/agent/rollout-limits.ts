/** What one web launch of a rollout job may ask for (the CLI has its own flags); shared by the route and its form. */
export const MAX_GROUP = 64;
export const MAX_CONCURRENCY = 64;
