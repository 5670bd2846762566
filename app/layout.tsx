import type { Metadata } from "next";
import type { ReactNode } from "react";
// First, so the theme and shared primitives come before every module's styles.
import "./globals.css";
import { Sidebar } from "@/components/shell/sidebar";
import { TopBar } from "@/components/shell/top-bar";
import shell from "@/components/shell/shell.module.css";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: "AWM Studio",
  description: "Curate, playtest, review and regenerate Agent World Model environments.",
  // Inline, so the browser never asks for a /favicon.ico that does not exist.
  icons: {
    icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%234f46e5'/%3E%3Ctext x='8' y='12' font-size='10' font-family='sans-serif' font-weight='700' text-anchor='middle' fill='white'%3EA%3C/text%3E%3C/svg%3E",
  },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>
          <div className={shell.shell}>
            <Sidebar />
            <div className={shell.main}>
              <TopBar />
              <main className={shell.content}>{children}</main>
            </div>
          </div>
        </Providers>
      </body>
    </html>
  );
}
