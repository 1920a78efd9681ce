DROP TABLE services;
DROP TABLE agreements;
DROP TABLE projects;
DROP TABLE actors;
DROP TABLE states;
DROP TABLE entities;
