"use client";

import { loader } from "@monaco-editor/react";

// The studio's one Monaco loader configuration: the AMD build is served same-origin by
// app/monaco/vs (never a CDN). Every module that renders Monaco imports this file first.
loader.config({ paths: { vs: "/monaco/vs" } });
