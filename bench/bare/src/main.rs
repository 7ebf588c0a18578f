//! The bare stack `make bench` compares the forum with: actix-web, tera and SQLite reading the
//! forum's own database file and rendering a thread (`/t/{id}`) and the latest threads (`/`)
//! with plain templates. No sessions, no middleware, no visibility rule, no page cache: what
//! rendering the stored page costs with nothing else, so the forum's figures can be read as a
//! ratio to it on the same machine in the same run.
//!
//! `bench-bare <sqlite-file> <bind-address> <templates-dir>`

use actix_web::{get, web, App, HttpResponse, HttpServer};
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};
use diesel::sql_types::{BigInt, Text};
use serde::Serialize;

type DbPool = Pool<ConnectionManager<SqliteConnection>>;

struct Shared {
    pool: DbPool,
    tera: tera::Tera,
}

#[derive(QueryableByName, Serialize)]
struct PostRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    body_html: String,
    #[diesel(sql_type = BigInt)]
    score: i64,
    #[diesel(sql_type = Text)]
    username: String,
    #[diesel(sql_type = BigInt)]
    reputation: i64,
}

#[derive(QueryableByName, Serialize)]
struct ThreadRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Text)]
    slug: String,
    #[diesel(sql_type = BigInt)]
    score: i64,
    #[diesel(sql_type = BigInt)]
    answer_count: i64,
    #[diesel(sql_type = Text)]
    username: String,
}

fn fail(e: impl std::fmt::Display) -> actix_web::Error {
    actix_web::error::ErrorInternalServerError(e.to_string())
}

fn render(shared: &Shared, template: &str, ctx: &tera::Context) -> actix_web::Result<HttpResponse> {
    let html = shared.tera.render(template, ctx).map_err(fail)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html))
}

#[get("/t/{id}")]
async fn thread(shared: web::Data<Shared>, id: web::Path<i64>) -> actix_web::Result<HttpResponse> {
    let id = id.into_inner();
    let pool = shared.pool.clone();
    let (title, posts) = web::block(move || -> Result<_, String> {
        let mut c = pool.get().map_err(|e| e.to_string())?;
        let thread: ThreadRow = diesel::sql_query(
            "SELECT t.id, t.title, t.slug, t.score, t.answer_count, u.username \
             FROM threads t JOIN users u ON u.id = t.author_id WHERE t.id = ?",
        )
        .bind::<BigInt, _>(id)
        .get_result(&mut c)
        .map_err(|e| e.to_string())?;
        let posts: Vec<PostRow> = diesel::sql_query(
            "SELECT p.id, p.body_html, p.score, u.username, u.reputation \
             FROM posts p JOIN users u ON u.id = p.author_id WHERE p.thread_id = ? ORDER BY p.id",
        )
        .bind::<BigInt, _>(id)
        .load(&mut c)
        .map_err(|e| e.to_string())?;
        Ok((thread.title, posts))
    })
    .await
    .map_err(fail)?
    .map_err(fail)?;
    let mut ctx = tera::Context::new();
    ctx.insert("title", &title);
    ctx.insert("posts", &posts);
    render(&shared, "thread.html", &ctx)
}

#[get("/")]
async fn home(shared: web::Data<Shared>) -> actix_web::Result<HttpResponse> {
    let pool = shared.pool.clone();
    let threads = web::block(move || -> Result<Vec<ThreadRow>, String> {
        let mut c = pool.get().map_err(|e| e.to_string())?;
        diesel::sql_query(
            "SELECT t.id, t.title, t.slug, t.score, t.answer_count, u.username \
             FROM threads t JOIN users u ON u.id = t.author_id \
             ORDER BY t.bumped_at DESC, t.id DESC LIMIT 30",
        )
        .load(&mut c)
        .map_err(|e| e.to_string())
    })
    .await
    .map_err(fail)?
    .map_err(fail)?;
    let mut ctx = tera::Context::new();
    ctx.insert("threads", &threads);
    render(&shared, "home.html", &ctx)
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, db, bind, templates] = args.as_slice() else {
        eprintln!("usage: bench-bare <sqlite-file> <bind-address> <templates-dir>");
        std::process::exit(2);
    };
    let pool = Pool::builder()
        .max_size(8)
        .build(ConnectionManager::<SqliteConnection>::new(db.as_str()))
        .map_err(std::io::Error::other)?;
    let tera = tera::Tera::new(&format!("{templates}/*.html")).map_err(std::io::Error::other)?;
    let shared = web::Data::new(Shared { pool, tera });
    actix_web::rt::System::new().block_on(
        HttpServer::new(move || {
            App::new()
                .app_data(shared.clone())
                .service(thread)
                .service(home)
        })
        .workers(2)
        .bind(bind.as_str())?
        .run(),
    )
}
