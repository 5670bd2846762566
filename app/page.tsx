import { LibraryPage } from "@/components/library/library-page";
import { libraryViewFromQuery } from "@/components/library/library-view";

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  return <LibraryPage initial={libraryViewFromQuery(await searchParams)} />;
}
