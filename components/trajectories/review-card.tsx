"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { TrajectoryReview } from "@/lib/trajectories/review";
import { SUGGESTED_TAGS } from "@/lib/trajectories/review-tags";
import { fetchJson } from "@/components/ui/fetch-json";
import { trajectoryKeys } from "@/components/query-keys";
import styles from "./trajectory.module.css";

/** A person's tags and note on the trajectory: the suggested tags toggle, free tags are comma-separated. */
export function ReviewCard({ id, tags, note }: { id: string; tags: string[]; note: string }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState({ tags: tags.join(", "), note });
  const save = useMutation({
    mutationFn: (review: TrajectoryReview) => fetchJson<TrajectoryReview>(`/api/trajectories/${encodeURIComponent(id)}/review`, { method: "POST", body: JSON.stringify(review) }),
    onSuccess: (saved) => {
      setDraft({ tags: saved.tags.join(", "), note: saved.note });
      return client.invalidateQueries({ queryKey: trajectoryKeys.all });
    },
  });
  const listed = draft.tags.split(",").map((tag) => tag.trim()).filter(Boolean);
  const toggle = (tag: string) => setDraft({ ...draft, tags: (listed.includes(tag) ? listed.filter((other) => other !== tag) : [...listed, tag]).join(", ") });
  return (
    <section className="card" data-testid="review-card">
      <header className="card__header">
        <h3>Review</h3>
        <span className="muted">tags and a note, filterable in the list and exported with the run</span>
      </header>
      <form
        className="card__body stack"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate({ tags: listed, note: draft.note });
        }}
      >
        <div className={styles.reviewTags}>
          {SUGGESTED_TAGS.map((tag) => (
            <label key={tag}>
              <input type="checkbox" checked={listed.includes(tag)} onChange={() => toggle(tag)} /> {tag}
            </label>
          ))}
        </div>
        <input className="input" value={draft.tags} onChange={(event) => setDraft({ ...draft, tags: event.target.value })} placeholder="tags, comma-separated" aria-label="Tags" data-testid="review-tags" />
        <textarea className="input" value={draft.note} onChange={(event) => setDraft({ ...draft, note: event.target.value })} placeholder="What a reviewer should know about this run" aria-label="Review note" data-testid="review-note" />
        <div>
          <button type="submit" className="button button--small" disabled={save.isPending} data-testid="review-save">
            Save review
          </button>
          {save.error && <span className="error-box">{save.error.message}</span>}
        </div>
      </form>
    </section>
  );
}
