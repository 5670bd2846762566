import { ImportPage } from "@/components/import/import-page";

export default function Page() {
  return <ImportPage />;
}
