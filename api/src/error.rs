//! Errors as GraphQL errors: a message a user understands and an `extensions.code` a client can
//! branch on. Internal causes are logged, not shown.

use async_graphql::ErrorExtensions;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadInput(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("internal error; the server log has the details")]
    Internal(String),
}

impl ApiError {
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadInput(_) => "BAD_USER_INPUT",
            ApiError::NotFound(_) => "NOT_FOUND",
            ApiError::Internal(_) => "INTERNAL_SERVER_ERROR",
        }
    }
}

impl ErrorExtensions for ApiError {
    fn extend(&self) -> async_graphql::Error {
        if let ApiError::Internal(detail) = self {
            tracing::error!(error = %detail, "internal error in a GraphQL request");
        }
        async_graphql::Error::new(self.to_string()).extend_with(|_, e| e.set("code", self.code()))
    }
}

impl From<govgraph_shared::Error> for ApiError {
    fn from(e: govgraph_shared::Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}

/// The result type of resolvers.
pub type ApiResult<T> = Result<T, async_graphql::Error>;

/// Converts any shared-layer error into a GraphQL error.
pub fn internal(e: impl Into<ApiError>) -> async_graphql::Error {
    e.into().extend()
}

pub fn bad_input(msg: impl Into<String>) -> async_graphql::Error {
    ApiError::BadInput(msg.into()).extend()
}

impl From<govgraph_shared::vocab::UnknownTerm> for ApiError {
    fn from(e: govgraph_shared::vocab::UnknownTerm) -> Self {
        ApiError::Internal(e.to_string())
    }
}
