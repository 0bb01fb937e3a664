"""The panel's routes, mounted on the HTTP server of `humasbot run` under /panel."""

from __future__ import annotations

from importlib import resources

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.panel import auth, broadcasts, history, manage, overview, posts, review
from bot.panel.web import GetDesk, panel_page

GET, POST = ["GET"], ["POST"]


def panel_routes(get_desk: GetDesk) -> list[BaseRoute]:
    page = panel_page(get_desk)
    static = str(resources.files("bot.panel").joinpath("static"))
    return [
        Route("/panel", page(overview.overview), methods=GET),
        Route("/panel/masuk", auth.login(get_desk), methods=GET),
        Route("/panel/keluar", page(auth.logout), methods=POST),
        Route("/panel/tinjauan", page(review.review_queue), methods=GET),
        Route("/panel/tinjauan/{review_id:int}", page(review.decide), methods=POST),
        Route("/panel/siaran", page(broadcasts.broadcast_page), methods=GET),
        Route("/panel/siaran", page(broadcasts.send), methods=POST),
        Route("/panel/siaran/{broadcast_id:int}/batal", page(broadcasts.cancel), methods=POST),
        Route("/panel/kanal", page(manage.channels_page), methods=GET),
        Route("/panel/kanal/aktifkan", page(manage.enable_channel), methods=POST),
        Route("/panel/sumber", page(manage.feeds_page), methods=GET),
        Route("/panel/sumber/tambah", page(manage.add_feed), methods=POST),
        Route("/panel/sumber/{feed_id:int}/hapus", page(manage.remove_feed), methods=POST),
        Route("/panel/riwayat", page(history.history_page), methods=GET),
        Route("/panel/riwayat.csv", page(history.download_csv), methods=GET),
        Route("/panel/riwayat.json", page(history.download_json), methods=GET),
        Route("/panel/pos/{item_id:int}", page(posts.post_page), methods=GET),
        Route("/panel/pos/{item_id:int}/{verb:str}", page(posts.ask), methods=POST),
        Route("/panel/konfirmasi/{kind:str}/{token:str}", page(posts.confirm), methods=POST),
        Mount("/panel/statis", StaticFiles(directory=static), name="panel-static"),
    ]
