"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { RewardBin } from "./reward-histogram-data";

/** Runs per reward value; `unit` names what is counted (rollouts of a job, runs of a dataset). */
export function RewardHistogram({ bins, label, unit = "rollouts" }: { bins: RewardBin[]; label: string; unit?: string }) {
  return (
    <figure data-testid="reward-histogram" data-bins={bins.length} style={{ margin: 0 }}>
      <figcaption className="faint">{label}</figcaption>
      {bins.length === 0 ? (
        <p className="faint">No rewards yet: no episode has been judged, or every one failed to be (infrastructure failures have no reward).</p>
      ) : (
        <ResponsiveContainer width="100%" height={180}>
          <BarChart data={bins} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="reward" />
            <YAxis allowDecimals={false} />
            <Tooltip formatter={(value) => [value, unit]} labelFormatter={(reward) => `reward ${String(reward)}`} />
            <Bar dataKey="count" fill="#1d4ed8" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}
