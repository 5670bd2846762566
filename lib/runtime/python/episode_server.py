"""The uvicorn server an episode runs."""

import asyncio

import uvicorn


class EpisodeServer(uvicorn.Server):
    """uvicorn wakes every 0.1 s to look for a shutdown request. An episode ends by SIGKILL, so it
    wakes once a second, for the Date header alone: hundreds of idle episodes cost a tenth of the CPU."""

    async def main_loop(self):
        while not await self.on_tick(0):  # tick 0 refreshes the Date header
            await asyncio.sleep(1)
