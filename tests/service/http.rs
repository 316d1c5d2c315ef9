//! The service on 127.0.0.1 with an ephemeral port, and a real HTTP client (reqwest) to drive
//! it.

use std::net::SocketAddr;

use reqwest::{Method, StatusCode};
use serde_json::Value;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// What a test step returns.
pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// A running service and a client of it.
pub struct Running {
    addr: SocketAddr,
    client: reqwest::Client,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

/// Serves `router` on 127.0.0.1 with a port the system chooses, in this runtime.
pub async fn serve(router: axum::Router) -> Result<Running> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    Ok(Running {
        addr,
        client: reqwest::Client::new(),
        stop,
        task,
    })
}

impl Running {
    /// `method path` with an optional JSON body: the status and the JSON answered (`Null` for
    /// an empty body).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(StatusCode, Value)> {
        send(&self.client, &self.url(path), method, body).await
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Result<(StatusCode, Value)> {
        self.send(Method::GET, path, None).await
    }

    /// `PUT path` with a JSON body.
    pub async fn put(&self, path: &str, body: &Value) -> Result<(StatusCode, Value)> {
        self.send(Method::PUT, path, Some(body)).await
    }

    /// `POST path`, with a JSON body if given.
    pub async fn post(&self, path: &str, body: Option<&Value>) -> Result<(StatusCode, Value)> {
        self.send(Method::POST, path, body).await
    }

    /// `DELETE path`.
    pub async fn delete(&self, path: &str) -> Result<(StatusCode, Value)> {
        self.send(Method::DELETE, path, None).await
    }

    /// The full URL of `path` (`/users`) on this service.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The client, to clone into concurrent tasks.
    pub fn client(&self) -> reqwest::Client {
        self.client.clone()
    }

    /// Stops accepting, waits for the requests in flight, and returns the server's result.
    pub async fn stop(self) -> Result<()> {
        let _ = self.stop.send(());
        self.task.await??;
        Ok(())
    }
}

/// One request with `client`: the status and the JSON answered (`Null` for an empty body).
pub async fn send(
    client: &reqwest::Client,
    url: &str,
    method: Method,
    body: Option<&Value>,
) -> Result<(StatusCode, Value)> {
    let mut request = client.request(method, url);
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await?;
    let status = response.status();
    let text = response.text().await?;
    let json = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).map_err(|e| format!("{status}: {e}: {text}"))?
    };
    Ok((status, json))
}
