import type { Site } from "../../protocol/index.js";

/** One `<option>` per site, by id, named by the site's name. */
export function SiteOptions({ sites }: { sites: Site[] | null }) {
  return (
    <>
      {(sites ?? []).map((site) => (
        <option key={site.id} value={site.id}>
          {site.name}
        </option>
      ))}
    </>
  );
}
